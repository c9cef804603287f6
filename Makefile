# SecureActors — build, test and run. `make help` lists the targets.
DOTNET        ?= dotnet
CONFIGURATION ?= Release
OUT           ?= out
BIN           := $(OUT)/secure-actors
RESULTS       ?= TestResults
# This machine's runtime identifier (linux-x64, ...): `build` precompiles the executable for it.
RID           ?= $(shell $(DOTNET) --info 2>/dev/null | sed -n 's/^ *RID: *//p' | head -n 1)
# Keeps first-run telemetry banners and update checks out of CI logs.
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help build test run client load demo clean bench-actors bench-protocol bench-scenarios fuzz soak faults

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## Build everything and leave the executable at out/secure-actors
	$(DOTNET) build SecureActors.sln -c $(CONFIGURATION) -nologo
	@if [ -n "$(RID)" ] && $(DOTNET) publish src/SecureActors.Cli/SecureActors.Cli.csproj -c $(CONFIGURATION) -nologo -r $(RID) -o $(OUT); then \
	  echo "[+] published $(BIN) for $(RID), precompiled (ReadyToRun)"; \
	else \
	  echo "[*] no precompiled publish for runtime identifier '$(RID)'; publishing $(BIN) without it (the JIT compiles everything)"; \
	  $(DOTNET) publish src/SecureActors.Cli/SecureActors.Cli.csproj -c $(CONFIGURATION) --no-build -nologo -o $(OUT); \
	fi

test: ## Build and run the whole test suite (TRX results in TestResults/)
	rm -rf $(RESULTS)
	$(DOTNET) build SecureActors.sln -c $(CONFIGURATION) -nologo
	$(DOTNET) test SecureActors.sln -c $(CONFIGURATION) --no-build -nologo \
		--logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS)

run: build ## Run the server on 127.0.0.1:8820 with its embedded defaults (Ctrl-C stops it)
	$(BIN) serve

client: build ## Interactive client to 127.0.0.1:8820 (hocon/client.conf); EXIT, Ctrl-D or Ctrl-C closes cleanly
	$(BIN) connect --config hocon/client.conf

load: build ## Bounded load run against a running server (hocon/load.conf); also writes out/load-report.{json,html}
	$(BIN) load --config hocon/load.conf --json $(OUT)/load-report.json --html $(OUT)/load-report.html

demo: build ## Start a server, run a bounded load (300 sessions, 10 s), print the report, stop the server
	@rm -f $(OUT)/demo.port $(OUT)/demo_known_hosts; \
	$(BIN) serve --port 0 --port-file $(OUT)/demo.port \
	  -c 'server.identity.key-file="$(OUT)/demo_server_key.pem"' \
	  > $(OUT)/demo-server.log 2>&1 & pid=$$!; \
	trap 'kill -TERM $$pid 2>/dev/null; wait $$pid; echo "[*] server stopped (log: $(OUT)/demo-server.log)"' EXIT; \
	for i in $$(seq 1 300); do [ -s $(OUT)/demo.port ] && break; sleep 0.1; done; \
	[ -s $(OUT)/demo.port ] || { echo "[!] the server did not start; see $(OUT)/demo-server.log"; exit 1; }; \
	head -3 $(OUT)/demo-server.log; \
	$(BIN) load --port $$(cat $(OUT)/demo.port) --known-hosts $(OUT)/demo_known_hosts --known-hosts-mode accept-new \
	  --connections 300 --ramp-up 2s --duration 10s --messages 0 --pipeline 4 \
	  --json $(OUT)/demo-report.json --html $(OUT)/demo-report.html

clean: ## Remove build outputs and test results
	$(DOTNET) clean SecureActors.sln -c $(CONFIGURATION) -nologo
	rm -rf $(OUT) $(RESULTS) BenchmarkDotNet.Artifacts
	find src tests -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +

bench-actors: ## Actor-runtime benchmarks against Channels and TPL Dataflow baselines (not in CI)
	$(DOTNET) run -c Release --project tests/SecureActors.Benchmarks -- --filter 'SecureActors.Benchmarks.Actors.*' --join

bench-protocol: ## Protocol benchmarks: handshake and record costs against bare BCL primitives (not in CI)
	$(DOTNET) run -c Release --project tests/SecureActors.Benchmarks -- --filter 'SecureActors.Benchmarks.Protocol.*' --join

bench-scenarios: build ## Scenarios A-D vs an SslStream TLS 1.3 peer, ~10 min, into docs/PERFORMANCE.md (not in CI; ARGS=--quick: tiny check, ~1 min)
	$(DOTNET) run -c $(CONFIGURATION) --no-build --project tests/SecureActors.Benchmarks -- scenarios --secure-actors $(BIN) $(ARGS)

FUZZ_SECONDS  ?= 60
fuzz: ## Long seeded mutation fuzzing: each fuzzer runs FUZZ_SECONDS (default 60; 7 fuzzers, about 5 min) (not in CI)
	$(DOTNET) build tests/SecureActors.Hocon.Tests -c $(CONFIGURATION) -nologo
	$(DOTNET) build tests/SecureActors.Protocol.Tests -c $(CONFIGURATION) -nologo
	SECUREACTORS_FUZZ_SECONDS=$(FUZZ_SECONDS) $(DOTNET) test tests/SecureActors.Hocon.Tests -c $(CONFIGURATION) --no-build -nologo \
		--filter 'FullyQualifiedName~RobustnessTests' --logger "console;verbosity=normal" & hocon=$$!; \
	SECUREACTORS_FUZZ_SECONDS=$(FUZZ_SECONDS) $(DOTNET) test tests/SecureActors.Protocol.Tests -c $(CONFIGURATION) --no-build -nologo \
		--filter 'FullyQualifiedName~MutationFuzzTests' --logger "console;verbosity=normal"; protocol=$$?; \
	wait $$hocon; hocon=$$?; [ $$protocol -eq 0 ] && [ $$hocon -eq 0 ]

SOAK_MINUTES  ?= 30
soak: ## Churn against a server process for SOAK_MINUTES (default 30); CSV + SVG in out/soak; fails on unbounded growth (not in CI)
	$(DOTNET) run -c Release --project tests/SecureActors.Benchmarks -- soak --minutes $(SOAK_MINUTES) --out $(OUT)/soak

FAULT_SESSIONS ?= 2000
faults: build ## Faults under load at FAULT_SESSIONS sessions (default 2000, ~5 min): in-process scenarios, then SIGTERM to a server process; figures in out/faults (not in CI)
	@# Each session holds a client and a server socket in the test process; raise the soft limit if the hard one allows.
	ulimit -n 65536 2>/dev/null || ulimit -n $$(ulimit -Hn) 2>/dev/null || true; \
	need=$$((4 * $(FAULT_SESSIONS) + 1024)); \
	[ "$$(ulimit -n)" = unlimited ] || [ "$$(ulimit -n)" -ge $$need ] || { echo "[!] make faults needs ulimit -n >= $$need (have $$(ulimit -n))"; exit 1; }; \
	mkdir -p $(OUT)/faults && rm -f $(OUT)/faults/figures.txt; \
	SECUREACTORS_FAULT_SESSIONS=$(FAULT_SESSIONS) SECUREACTORS_RELIABILITY_FIGURES=$(abspath $(OUT))/faults/figures.txt \
		$(DOTNET) test tests/SecureActors.Server.Tests -c $(CONFIGURATION) --no-build -nologo \
		--filter 'FullyQualifiedName~SecureActors.Server.Tests.Faults' --logger "console;verbosity=normal"; tests=$$?; \
	cat $(OUT)/faults/figures.txt; \
	$(DOTNET) run -c $(CONFIGURATION) --no-build --project tests/SecureActors.Benchmarks -- \
		faults-sigterm --sessions $(FAULT_SESSIONS) --secure-actors $(BIN) --out $(OUT)/faults; sigterm=$$?; \
	[ $$tests -eq 0 ] && [ $$sigterm -eq 0 ]
