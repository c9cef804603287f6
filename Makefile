# SecureActors — build, test and run. `make help` lists the targets.
DOTNET        ?= dotnet
CONFIGURATION ?= Release
OUT           ?= out
BIN           := $(OUT)/secure-actors
RESULTS       ?= TestResults
# Keeps first-run telemetry banners and update checks out of CI logs.
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help build test run clean bench-actors bench-protocol

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

build: ## Build everything and leave the executable at out/secure-actors
	$(DOTNET) build SecureActors.sln -c $(CONFIGURATION) -nologo
	$(DOTNET) publish src/SecureActors.Cli/SecureActors.Cli.csproj -c $(CONFIGURATION) --no-build -nologo -o $(OUT)

test: ## Build and run the whole test suite (TRX results in TestResults/)
	rm -rf $(RESULTS)
	$(DOTNET) build SecureActors.sln -c $(CONFIGURATION) -nologo
	$(DOTNET) test SecureActors.sln -c $(CONFIGURATION) --no-build -nologo \
		--logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS)

run: build ## Run the server on 127.0.0.1:8820 with its embedded defaults (Ctrl-C stops it)
	$(BIN) serve

clean: ## Remove build outputs and test results
	$(DOTNET) clean SecureActors.sln -c $(CONFIGURATION) -nologo
	rm -rf $(OUT) $(RESULTS) BenchmarkDotNet.Artifacts
	find src tests -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +

bench-actors: ## Actor-runtime benchmarks against Channels and TPL Dataflow baselines (not in CI)
	$(DOTNET) run -c Release --project tests/SecureActors.Benchmarks -- --filter 'SecureActors.Benchmarks.Actors.*' --join

bench-protocol: ## Protocol benchmarks: handshake and record costs against bare BCL primitives (not in CI)
	$(DOTNET) run -c Release --project tests/SecureActors.Benchmarks -- --filter 'SecureActors.Benchmarks.Protocol.*' --join
