package mail

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	"net/smtp"
	"strings"
	"time"
)

// SMTP sends through a mail server (REPFLOW_SMTP_ADDR), with PLAIN authentication when a user
// is set; net/smtp upgrades to TLS whenever the server offers STARTTLS.
type SMTP struct {
	Addr     string // host:port
	From     string // the envelope and header sender, e.g. "repflow <no-reply@example.com>"
	Username string
	Password string
}

// Send writes m as a plain-text message.
func (s SMTP) Send(_ context.Context, m Message) error {
	host, _, _ := strings.Cut(s.Addr, ":")
	var auth smtp.Auth
	if s.Username != "" {
		auth = smtp.PlainAuth("", s.Username, s.Password, host)
	}
	from := s.From
	if i := strings.LastIndex(from, "<"); i >= 0 {
		from = strings.TrimSuffix(from[i+1:], ">")
	}
	if err := smtp.SendMail(s.Addr, auth, from, []string{m.To}, s.message(m)); err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	return nil
}

// message is m with its headers; the subject is encoded, for Chinese and other non-ASCII text.
func (s SMTP) message(m Message) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\n", s.From, m.To, mime.QEncoding.Encode("utf-8", m.Subject), time.Now().Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n"))
	return []byte(b.String())
}

// Log "sends" into the server's log: where no mail server is configured (development, the
// demo), the links a message carries are read there.
type Log struct{ Log *slog.Logger }

// Send logs m.
func (l Log) Send(ctx context.Context, m Message) error {
	log := l.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "mail (no mail server configured: logged, not sent)", "kind", m.Kind, "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}
