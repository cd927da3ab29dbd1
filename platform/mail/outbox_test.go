package mail

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/repflow/repflow/platform/storetest"
)

// fakeSender fails the first fails sends, then records what it sends.
type fakeSender struct {
	mu    sync.Mutex
	fails int
	sent  []Message
}

func (f *fakeSender) Send(_ context.Context, m Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("connection refused")
	}
	f.sent = append(f.sent, m)
	return nil
}

// A message is sent once, after the failures it meets, and stays listed for its address; one
// that never goes through stops being tried after MaxAttempts, keeping its last error.
func TestOutboxDeliversOnceAndRetries(t *testing.T) {
	s := storetest.Open(t)
	ctx := context.Background()
	sender := &fakeSender{fails: 2}
	o := NewOutbox(s, sender)
	if err := o.Queue(ctx, Message{Kind: "invitation", To: "li@acme.test", Subject: "欢迎", Text: "https://x/accept?token=1"}); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if err := o.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(sender.sent) != 1 || sender.sent[0].Subject != "欢迎" {
		t.Fatalf("sent %+v, want the one message once", sender.sent)
	}
	var row outboxRow
	if err := s.Owner(ctx).Where("recipient = ?", "li@acme.test").Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.SentAt == nil || row.Attempts != 3 || row.LastError != "" {
		t.Errorf("after two failures and a success: sent %v, %d attempts, last error %q", row.SentAt, row.Attempts, row.LastError)
	}

	sender.fails = MaxAttempts + 5
	if err := o.Queue(ctx, Message{Kind: "invitation", To: "wang@acme.test", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	for range MaxAttempts + 3 {
		if err := o.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
	}
	row = outboxRow{} // Take would also match the primary key left in it
	if err := s.Owner(ctx).Where("recipient = ?", "wang@acme.test").Take(&row).Error; err != nil {
		t.Fatal(err)
	}
	if row.SentAt != nil || row.Attempts != MaxAttempts || row.LastError != "connection refused" {
		t.Errorf("a message that never goes through: sent %v, %d attempts, last error %q", row.SentAt, row.Attempts, row.LastError)
	}
	got, err := o.Addressed(ctx, "li@acme.test")
	if err != nil || len(got) != 1 || got[0].Text != "https://x/accept?token=1" {
		t.Errorf("addressed to li: %+v, %v", got, err)
	}
}

// The SMTP sender speaks to a real (if minimal) SMTP server: envelope, headers, an encoded
// Chinese subject and CRLF lines.
func TestSMTPSendsAPlainTextMessage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []string, 1)
	go serveOneSMTP(ln, got)
	sender := SMTP{Addr: ln.Addr().String(), From: "repflow <no-reply@repflow.test>"}
	if err := sender.Send(context.Background(), Message{To: "li@acme.test", Subject: "验证邮箱", Text: "line one\nline two"}); err != nil {
		t.Fatal(err)
	}
	lines := <-got
	text := strings.Join(lines, "\n")
	for _, want := range []string{"MAIL FROM:<no-reply@repflow.test>", "RCPT TO:<li@acme.test>", "To: li@acme.test",
		"Subject: =?utf-8?q?", "Content-Type: text/plain; charset=utf-8", "line one", "line two"} {
		if !strings.Contains(text, want) {
			t.Errorf("the server did not see %q in:\n%s", want, text)
		}
	}
}

// serveOneSMTP answers one client's session and sends every line it received.
func serveOneSMTP(ln net.Listener, got chan<- []string) {
	conn, err := ln.Accept()
	if err != nil {
		got <- nil
		return
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(s string) { _, _ = conn.Write([]byte(s + "\r\n")) }
	var lines []string
	say("220 test ESMTP")
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		line = strings.TrimRight(line, "\r\n")
		lines = append(lines, line)
		switch {
		case inData && line == ".":
			inData = false
			say("250 queued")
		case inData:
		case strings.HasPrefix(line, "EHLO"), strings.HasPrefix(line, "HELO"):
			say("250 test")
		case strings.HasPrefix(line, "DATA"):
			inData = true
			say("354 go ahead")
		case strings.HasPrefix(line, "QUIT"):
			say("221 bye")
			got <- lines
			return
		default:
			say("250 ok")
		}
	}
	got <- lines
}
