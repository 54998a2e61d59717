from rugcoach.cli.shell import main

if __name__ == "__main__":
    main()
