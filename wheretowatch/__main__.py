from wheretowatch.cli import main

main()
