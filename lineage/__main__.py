from lineage.cli import main

main()
