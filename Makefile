# ingest-worker - see README.md. `make run` and `make test` set up what they need.
CC      ?= gcc
PKGS    := rdkafka jansson libcurl libmicrohttpd libutf8proc gumbo libxxhash libexttextcat
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
WARN    := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers
CFLAGS  ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
ALL_CFLAGS  = $(WARN) $(CFLAGS) -Iinclude $(PKG_CFLAGS) -DINGEST_VERSION='"$(VERSION)"'
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

PIPELINE_SRC := $(wildcard worker/pipeline/*.c)
SHELL_SRC    := $(wildcard worker/shell/*.c)
APP_SRC      := $(wildcard worker/app/*.c)
MAIN_SRC     := worker/main.c
LEX_ASM      := worker/shell/lexicon_embedded.S
SCHEMAS      ?= schemas
LEX_DATA     := $(wildcard $(SCHEMAS)/*.tsv) $(SCHEMAS)/events.json $(SCHEMAS)/modality.json
UNIT_SRC     := $(wildcard tests/unit/test_*.c)

objs = $(patsubst %.c,$(1)/%.o,$(2))

REL := build/obj
ASN := build/asan
PIPE_OBJ_REL  := $(call objs,$(REL),$(PIPELINE_SRC))
PIPE_OBJ_ASAN := $(call objs,$(ASN),$(PIPELINE_SRC))
SHELL_OBJ_REL  := $(call objs,$(REL),$(SHELL_SRC) $(APP_SRC)) $(REL)/lexicon_embedded.o
SHELL_OBJ_ASAN := $(call objs,$(ASN),$(SHELL_SRC) $(APP_SRC)) $(ASN)/lexicon_embedded.o

readme-options: build/ingest-worker
	/usr/bin/python3 tests/readme_options.py build/ingest-worker --write

.PHONY: readme-options test-fixtures fuzz fuzz-deps fuzz-build all deps test test-unit test-valgrind test-integration test-kafka soak run clean bench eval check-compose
all: build/ingest-worker

deps:
	@deploy/install-deps.sh

build/ingest-worker: $(PIPE_OBJ_REL) $(SHELL_OBJ_REL) $(REL)/worker/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/ingest-worker: $(PIPE_OBJ_ASAN) $(SHELL_OBJ_ASAN) $(ASN)/worker/main.o
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS)

$(REL)/%.o: %.c $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(ASN)/%.o: %.c $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c -o $@ $<

# The lexicon files are embedded; rebuild when any of them changes.
$(REL)/lexicon_embedded.o $(ASN)/lexicon_embedded.o: $(LEX_ASM) $(LEX_DATA)
	@mkdir -p $(dir $@)
	$(CC) -Wa,-I$(SCHEMAS) -c -o $@ $(LEX_ASM)

# ---- tests ---------------------------------------------------------------------
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
UNIT_BINS_PLAIN := $(patsubst tests/unit/%.c,build/tests-plain/%,$(UNIT_SRC))

UNIT_SHELL := worker/shell/lexicon_sources.c worker/shell/commit_tracker.c worker/shell/langid_textcat.c worker/shell/log.c worker/shell/fileio.c \
              worker/shell/replay_bounds.c worker/shell/checkpoint.c worker/shell/metrics.c worker/shell/health.c \
              worker/shell/kafka_stats.c worker/shell/mockbroker.c worker/shell/txn.c worker/shell/kafka_conf.c
build/tests/%: tests/unit/%.c tests/unit/test_support.h $(PIPE_OBJ_ASAN) $(call objs,$(ASN),$(UNIT_SHELL)) $(ASN)/lexicon_embedded.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -Itests/unit -o $@ $< $(filter %.o,$^) $(PKG_LIBS) -lcmocka

build/tests-plain/%: tests/unit/%.c tests/unit/test_support.h $(PIPE_OBJ_REL) $(call objs,$(REL),$(UNIT_SHELL)) $(REL)/lexicon_embedded.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(filter %.o,$^) $(PKG_LIBS) -lcmocka

# The fuzz harnesses built with gcc and a plain driver (no clang needed): each replays the fixture
# articles and its regression inputs (tests/fixtures/regressions/<harness>/, crashes fuzzing found)
# under ASan+UBSan, so every harness check keeps holding on them.
FUZZ_HARNESSES := envelope html normalize tagger
FUZZ_REPLAY := $(patsubst %,build/tests/replay_%,$(FUZZ_HARNESSES))
build/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c tests/fuzz/fuzz_common.h $(PIPE_OBJ_ASAN) $(call objs,$(ASN),$(UNIT_SHELL)) $(ASN)/lexicon_embedded.o
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -o $@ $< tests/fuzz/replay_main.c $(filter %.o,$^) $(PKG_LIBS)

test-unit: $(UNIT_BINS) $(FUZZ_REPLAY)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done
	@set -e; for h in $(FUZZ_HARNESSES); do printf "== fuzz_$$h replay: "; \
	  build/tests/replay_$$h tests/fixtures/articles $$(ls -d tests/fixtures/regressions/$$h 2>/dev/null); done

# Valgrind on the unit suite: zero leaks, zero errors (issue #8 asks for it).
test-valgrind: $(UNIT_BINS_PLAIN)
	@set -e; for t in $(UNIT_BINS_PLAIN); do echo "== valgrind $$t"; \
	  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 $$t >/dev/null; done; \
	  echo "valgrind: unit suite clean"

# Integration: broker + worker as separate processes (ASan/UBSan build),
# driven by kcat and python3-confluent-kafka, outputs checked with jsonschema.
# Two tests at a time by default (they mostly wait on brokers, workers and timeouts): about half
# the wall time on 2 cores. INTEGRATION_JOBS=1 runs them one after another.
INTEGRATION_JOBS ?= 2
test-integration: build/asan/ingest-worker build/ingest-worker
	@INGEST_BIN=build/asan/ingest-worker /usr/bin/python3 tests/integration/run_all.py --jobs $(INTEGRATION_JOBS)

# Against a real Kafka (e.g. `docker-compose up kafka`, then KAFKA_BROKERS=localhost:9094): exactly-once
# semantics under kill -9, zombie fencing, replay's offsets-for-times lookup. The mock broker cannot show these.
test-kafka: build/asan/ingest-worker
	@if [ -z "$$KAFKA_BROKERS" ]; then echo "test-kafka: set KAFKA_BROKERS=host:port of a real Kafka (e.g. docker-compose up kafka; localhost:9094)"; exit 2; fi
	@INGEST_BIN=build/asan/ingest-worker /usr/bin/python3 tests/integration/run_all.py on_real_kafka

# Longer fault runs than `make test` affords: a 30 s cluster outage, 100 kills over 10,000 articles.
soak: build/asan/ingest-worker
	@INGEST_OUTAGE_SECONDS=30 INGEST_CRASH_KILLS=100 INGEST_CRASH_ARTICLES=10000 INGEST_BIN=build/asan/ingest-worker \
	  /usr/bin/python3 tests/integration/run_all.py test_faults test_kill9 test_rebalance test_exactly_once

# Gold fixtures: normalization checks must not regress (known failures are listed in the ratchet).
# Entity F1 on the dev fixtures may not fall below this (raise it as the tagger improves).
ENTITY_F1_FLOOR = 0.96
# Event precision, recall and modality accuracy may not fall below these (raise them as events
# improve); a negated or hypothetical gold event emitted as asserted always fails.
EVENT_FLOORS = 0.86,0.87,0.99

test-fixtures: build/ingest-worker
	@/usr/bin/python3 tests/eval/eval.py build/ingest-worker --normalization-ratchet tests/fixtures/normalization-known-failures.tsv \
	    --min-entity-f1 $(ENTITY_F1_FLOOR) --min-events $(EVENT_FLOORS) > build/eval.txt || { cat build/eval.txt; exit 1; }
	@sed -n '1,/^entities/p' build/eval.txt | grep -v '^entities'; grep -m1 '^  ALL' build/eval.txt | sed 's/^  ALL/entities P R F1:/'; grep -m1 '^  ALL  *P ' build/eval.txt | sed 's/^  ALL  */events /'

# Quality figures on the gold fixtures: entity P/R/F1 per type, events, modality, quotes.
eval: build/ingest-worker
	@/usr/bin/python3 tests/eval/eval.py build/ingest-worker

test: deps
	@$(MAKE) --no-print-directory build/ingest-worker build/asan/ingest-worker
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-valgrind
	@$(MAKE) --no-print-directory test-integration
	@$(MAKE) --no-print-directory test-fixtures
	@$(MAKE) --no-print-directory check-compose
	@echo "make test: all suites passed"

check-compose:
	@if command -v docker-compose >/dev/null; then docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml: valid"; \
	 else echo "docker-compose not installed: run make deps"; exit 1; fi

BENCH_SRC   := $(wildcard tests/bench/*.c)
BENCH_SHELL := worker/shell/lexicon_sources.c worker/shell/langid_textcat.c worker/shell/log.c worker/shell/fileio.c worker/shell/outrec.c \
               worker/shell/alloc_policy.c
build/bench: $(BENCH_SRC) tests/bench/bench.h $(PIPE_OBJ_REL) $(call objs,$(REL),$(BENCH_SHELL)) $(REL)/lexicon_embedded.o
	$(CC) $(ALL_CFLAGS) -O2 -Itests/bench -o $@ $(BENCH_SRC) $(filter %.o,$^) $(PKG_LIBS)

# make bench: the stages alone, the whole pipeline in-process and end to end through the broker, on a
# seeded synthetic corpus generated into build/ (tests/bench/; figures printed, not asserted).
# BENCH_WRITE=1 also writes the tables into tests/bench/RESULTS.md.
BENCH_SEED     ?= 1
BENCH_ARTICLES ?= 20000
BENCH_CORPUS   := build/bench-data/corpus-s$(BENCH_SEED)-n$(BENCH_ARTICLES).bin
$(BENCH_CORPUS): tests/bench/gen_corpus.py $(SCHEMAS)/gazetteer.tsv
	@mkdir -p $(dir $@)
	/usr/bin/python3 tests/bench/gen_corpus.py --seed $(BENCH_SEED) --count $(BENCH_ARTICLES) $@

bench: build/bench build/ingest-worker $(BENCH_CORPUS)
	@/usr/bin/python3 tests/bench/run_bench.py --corpus $(BENCH_CORPUS) $(if $(BENCH_WRITE),--write-results tests/bench/RESULTS.md)

# libFuzzer harnesses (tests/fuzz/fuzz_*.c), one per stage: the JSON envelope decoder (through the
# whole pipeline and the record serializers), the HTML path, the normalizer, the tagger. `make fuzz`
# runs each for FUZZ_SECONDS in turn (default 60) and fails on the first finding; the crashing input
# is left in build/fuzz/ (crash-<harness>-*) to become a regression test. Needs clang and
# libclang-rt-14-dev, which `make test` does not: deploy/install-deps.sh --fuzz checks them.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -Iinclude $(PKG_CFLAGS)
FUZZ_OBJ := $(patsubst %.c,build/fuzz/%.o,$(PIPELINE_SRC) worker/shell/lexicon_sources.c worker/shell/langid_textcat.c worker/shell/log.c worker/shell/fileio.c)
FUZZ_BINS := $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_HARNESSES))
.SECONDARY: $(FUZZ_OBJ) build/fuzz/lexicon_embedded.o # only pattern rules name them: keep them between runs
# seed corpora, copied from the fixtures at run time (never committed)
FUZZ_SEEDS_envelope  := tests/fixtures/articles/*.json
FUZZ_SEEDS_html      := tests/fixtures/articles/*.html
FUZZ_SEEDS_normalize := tests/fixtures/articles/*
FUZZ_SEEDS_tagger    := tests/fixtures/articles/*.txt
build/fuzz/%.o: %.c $(wildcard include/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c -o $@ $<
build/fuzz/lexicon_embedded.o: $(LEX_ASM) $(LEX_DATA)
	@mkdir -p $(dir $@)
	clang -Wa,-I$(SCHEMAS) -c -o $@ $(LEX_ASM)
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_OBJ) build/fuzz/lexicon_embedded.o
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(filter %.o,$^) $(PKG_LIBS)
fuzz-deps:
	@deploy/install-deps.sh --fuzz
fuzz-build: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
fuzz: fuzz-build
	@set -e; for h in $(FUZZ_HARNESSES); do \
	  c=build/fuzz/corpus-$$h; mkdir -p $$c; \
	  case $$h in envelope) s="$(FUZZ_SEEDS_envelope)";; html) s="$(FUZZ_SEEDS_html)";; \
	    normalize) s="$(FUZZ_SEEDS_normalize)";; tagger) s="$(FUZZ_SEEDS_tagger)";; esac; \
	  cp $$s $$c/; \
	  echo "== fuzz_$$h for $(FUZZ_SECONDS)s (corpus $$c)"; \
	  build/fuzz/fuzz_$$h -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -rss_limit_mb=2048 -timeout=25 \
	    -print_final_stats=1 -artifact_prefix=build/fuzz/crash-$$h- $$c 2>build/fuzz/fuzz_$$h.log \
	    || { tail -60 build/fuzz/fuzz_$$h.log; echo "fuzz_$$h: FINDING (input in build/fuzz/crash-$$h-*)"; exit 1; }; \
	  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" build/fuzz/fuzz_$$h.log | tr '\n' ' '; echo; \
	done; echo "make fuzz: $(words $(FUZZ_HARNESSES)) harnesses, $(FUZZ_SECONDS)s each, no finding"

run: deps build/ingest-worker
	build/ingest-worker run --embedded

clean:
	rm -rf build
