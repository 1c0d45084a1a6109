from srgcli.cli.entry import main

main()
