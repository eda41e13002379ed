"""`python -m graphsvc` is the same as the `graphsvc` console script."""

from graphsvc.cli import main

main()
