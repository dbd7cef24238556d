from assetreg.cli.main import run

run()
