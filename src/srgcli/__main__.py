from srgcli.cli.app import main

main()
