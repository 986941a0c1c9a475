# Thin aliases of scripts/ (the scripts are the source of truth).
.PHONY: install run test format lint db-migrate db-revision db-downgrade openapi clients check-api fuzz bench

install:
	bash -c 'source scripts/_env.sh && sync_env'
run:
	scripts/run
test:
	scripts/test
format:
	scripts/format
lint:
	scripts/lint
db-migrate:
	scripts/db migrate
db-revision:
	scripts/db revision "$(message)"
db-downgrade:
	scripts/db downgrade
openapi:
	scripts/export-openapi
clients:
	scripts/generate-clients
check-api:
	scripts/check-api
fuzz:
	scripts/fuzz
bench:
	scripts/bench
