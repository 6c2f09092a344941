// Command switchboard is the messaging hub: see `switchboard help`.
package main

import (
	"os"

	"github.com/switchboardhq/switchboard/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}
