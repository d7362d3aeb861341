"""The subcommands of `tinhuy`, one module each; see crawler/cli.py."""
