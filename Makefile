# The two commands a newcomer needs:
#   make run    start the demo: the example bookstore behind the gateway, with curl lines to try
#   make test   install prerequisites, check generated files for drift, run every test
SWIFT ?= swift
# scripts/bootstrap.sh puts the Python test peers' packages in .venv when the system Python
# refuses pip installs; tests find them through PATH.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
BIN = .build/debug/grpc-gateway

.PHONY: run test bootstrap build check-generated fuzz bench bench-gateway regenerate

bootstrap:
	@scripts/bootstrap.sh

build: bootstrap
	$(SWIFT) build --product grpc-gateway

run: build
	$(BIN) demo --descriptor-set protos/descriptors/bookstore.pb

check-generated: bootstrap
	scripts/gen-descriptors.sh --check
	scripts/gen-fixtures.sh --check
	scripts/gen-pool-listings.sh --check
	scripts/gen-route-listings.sh --check
	scripts/gen-schema-bundle.sh --check

test: check-generated
	$(SWIFT) build --build-tests
	# Two runs: the codec tests start many short protoc/python processes from synchronous
	# tests, which would hold Swift's cooperative threads while the timing-sensitive network
	# tests (deadlines, keepalives, idle timers) wait for them.
	$(SWIFT) test --skip-build --filter '^(ProtoWireTests|TranscoderTests)\.'
	$(SWIFT) test --skip-build --skip '^(ProtoWireTests|TranscoderTests)\.'
	scripts/check-proto-loading.sh
	scripts/fuzz.sh --regression
	scripts/fuzz-routing.sh --regression
	scripts/fuzz-h2.sh --regression
	scripts/fuzz-json.sh --regression
	scripts/fuzz-splitter.sh --regression
	scripts/fuzz-schema.sh --regression
	scripts/fuzz-gateway.sh --regression
	scripts/fuzz-offload.sh --regression

regenerate: bootstrap
	scripts/gen-descriptors.sh
	scripts/gen-fixtures.sh
	scripts/gen-pool-listings.sh
	scripts/gen-schema-bundle.sh

fuzz: bootstrap
	scripts/fuzz.sh --seconds $${SECONDS_TO_FUZZ:-120}

bench: bootstrap
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

# Our gateway vs Envoy 1.40's grpc_json_transcoder on loopback (wrk, h2load; bounded, ~2 minutes).
bench-gateway: bootstrap
	scripts/load-compare.sh
