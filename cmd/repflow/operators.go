package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// addOperator enrols an operator of the console under /admin: the password comes from
// REPFLOW_OPERATOR_PASSWORD or the first line of in (never a flag, which other users of the
// machine could read), and the answer is the otpauth:// address to add to an authenticator app,
// whose codes every sign-in then needs.
func addOperator(ctx context.Context, cfg *config, email, name string, in io.Reader, out io.Writer) error {
	password := os.Getenv("REPFLOW_OPERATOR_PASSWORD")
	if password == "" {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
	}
	if password == "" {
		return errors.New("give the operator's password in REPFLOW_OPERATOR_PASSWORD or on standard input")
	}
	a, closeStore, err := openApp(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	otpauth, err := a.operators.CreateOperator(ctx, email, name, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "operator %s added. Add this to an authenticator app; every sign-in at /admin needs its current code:\n%s\n", email, otpauth)
	return nil
}
