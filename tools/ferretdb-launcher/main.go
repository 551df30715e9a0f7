// Command ferretdb-launcher runs FerretDB 1.x with its SQLite backend as Teamlens's embedded
// database when no MongoDB is available (see README, "The embedded database").
//
// We embed github.com/FerretDB/FerretDB/ferretdb instead of `go install .../cmd/ferretdb`
// because that binary panics at start: the module zip lacks build/version/version.txt
// (FerretDB issue 2982). The embeddable package also turns telemetry off.
//
// Protocol with the Node side (src/shared/db/embedded-server.ts): once the listener is bound,
// the launcher prints one line `READY <mongodb-uri>` on stdout. SIGTERM or SIGINT stops it
// cleanly (listener closed, SQLite files closed) with exit code 0. With -watch-stdin it also
// stops when its standard input closes, so it never outlives a parent that died without
// sending a signal (the parent holds the write end of a pipe for as long as it runs).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data", "", "directory for the SQLite database files (required)")
	logLevel := flag.String("log-level", "error", "FerretDB log level: debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", false, "stop when standard input reaches end of file")
	flag.Parse()

	if err := run(*listen, *dataDir, *logLevel, *watchStdin); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: %v\n", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel string, watchStdin bool) error {
	if dataDir == "" {
		return fmt.Errorf("-data is required")
	}

	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return err
	}

	if err = os.MkdirAll(abs, 0o700); err != nil {
		return err
	}

	var level slog.Level
	if err = level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level: %w", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: listen},
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
		Handler:  "sqlite",
		// The trailing slash matters: FerretDB's SQLite URL names a directory.
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return err
	}

	// New has bound the listener already, so the URI carries the real port.
	fmt.Printf("READY %s\n", f.MongoDBURI())

	return f.Run(ctx)
}
