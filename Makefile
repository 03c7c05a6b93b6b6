# upkit: top-level build.
#
#   make             build the extension (PGXS) and the upkit command
#   make install     install both: the command into $(PREFIX)/bin, the
#                    extension into the server's own folders (pg_config's;
#                    needs root unless DESTDIR stages it for a package)
#   make install-bin / install-extension   one part only
#   make uninstall   remove both (same PREFIX and DESTDIR as the install)
#   make demo        install missing packages, build, run the demo on a
#                    throwaway cluster
#   make test        the same set-up (plus the T-SQL grammar), then every test
#   make bench       the same set-up, then the benchmarks (docs/BENCHMARKS.md)
#   make cluster-start / cluster-stop   the throwaway cluster, started by hand
#                    (its database upkit_demo is what the demo left)
#   make fuzz        the libFuzzer target over the spec path, UPKIT_FUZZ_SECONDS
#                    (default 300) long; new inputs go to build/fuzz/corpus
#
# Build output goes to build/ (and the PGXS objects next to their sources).

PG_CONFIG ?= pg_config
PREFIX    ?= /usr/local
CC        ?= gcc
CFLAGS    ?= -O2 -g
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
B         := build

PG_INCLUDE := $(shell $(PG_CONFIG) --includedir 2>/dev/null)
PG_LIBDIR  := $(shell $(PG_CONFIG) --libdir 2>/dev/null)
GEN_CPPFLAGS := -Isqlgen -I$(B)/sqlgen -I$(PG_INCLUDE) -I/usr/include/cjson
GEN_LIBS     := -L$(PG_LIBDIR) -lpq -lsybdb -lcjson -lpcre2-8 -lpthread

# The generator library: every sqlgen/*.c but the command's main.
GEN_SRCS := $(filter-out sqlgen/main.c,$(sort $(wildcard sqlgen/*.c)))
GEN_OBJS := $(patsubst sqlgen/%.c,$(B)/sqlgen/%.o,$(GEN_SRCS)) $(B)/sqlgen/embedded.o
GEN_LIB  := $(B)/sqlgen/libupkitgen.a
# SQL files the generator embeds: the runtime scripts and the templates.
TEMPLATES := $(sort $(wildcard functions/*/*.sql functions/*/*.sql.in procs/*/*.sql procs/*/*.sql.in))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRCS))
TOOL_SRCS := $(sort $(wildcard tests/tools/*.c))
TOOL_BINS := $(patsubst tests/tools/%.c,$(B)/tests/tools/%,$(TOOL_SRCS))

# The libFuzzer target over spec reading, validation, rendering and batch
# splitting (tests/fuzz): "make fuzz" runs it for UPKIT_FUZZ_SECONDS (300),
# tests/fuzz/fuzz.t for a few seconds.
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_BIN     := $(B)/fuzz/fuzz_spec
# The library without the commands; linked with the same libraries as upkit
# (the connection code is linked, never called: the harness talks to no server).
FUZZ_SRCS    := $(filter-out sqlgen/cmd_% sqlgen/cli.c,$(GEN_SRCS))
UPKIT_FUZZ_SECONDS ?= 300

.PHONY: all extension deps deps-tsql install install-bin install-extension \
        uninstall uninstall-bin uninstall-extension demo test bench clean \
        check-tests cluster-start cluster-stop fuzz
.DELETE_ON_ERROR:

all: extension sqlgen/upkit

extension:
	$(MAKE) -s -C extension PG_CONFIG=$(PG_CONFIG)

$(B)/sqlgen/embedded.c: sqlgen/embed.sh $(TEMPLATES)
	@mkdir -p $(@D)
	sqlgen/embed.sh $(TEMPLATES) > $@

$(B)/sqlgen/embedded.o: $(B)/sqlgen/embedded.c
	$(CC) $(CFLAGS) $(WARN) $(GEN_CPPFLAGS) -c -o $@ $<

$(B)/sqlgen/%.o: sqlgen/%.c $(wildcard sqlgen/*.h) VERSION
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(GEN_CPPFLAGS) -DUPKIT_VERSION='"$(shell cat VERSION)"' -c -o $@ $<

$(GEN_LIB): $(GEN_OBJS)
	rm -f $@ && ar rcs $@ $^

sqlgen/upkit: $(B)/sqlgen/main.o $(GEN_LIB)
	$(CC) $(CFLAGS) -o $@ $^ $(GEN_LIBS)

$(B)/tests/unit/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(GEN_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(GEN_CPPFLAGS) -Itests/unit -o $@ $< $(GEN_LIB) $(GEN_LIBS)

$(B)/tests/tools/%: tests/tools/%.c tests/tools/tool_io.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -I$(PG_INCLUDE) -o $@ $< -L$(PG_LIBDIR) -lpq -lsybdb

check-tests: $(UNIT_BINS) $(TOOL_BINS)

$(FUZZ_BIN): tests/fuzz/fuzz_spec.c $(FUZZ_SRCS) $(B)/sqlgen/embedded.c $(wildcard sqlgen/*.h) VERSION
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(GEN_CPPFLAGS) -DUPKIT_VERSION='"$(shell cat VERSION)"' -o $@ \
		tests/fuzz/fuzz_spec.c $(FUZZ_SRCS) $(B)/sqlgen/embedded.c $(GEN_LIBS)

fuzz: $(FUZZ_BIN)
	@mkdir -p $(B)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(UPKIT_FUZZ_SECONDS) -max_len=4096 -timeout=10 \
		-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus tests/fuzz/corpus

# The command goes anywhere (PREFIX=$$HOME/.local needs no root).  The
# extension goes where the server looks for it, pg_config's folders:
# PostgreSQL 15 has no per-user extension path, so that part needs root, or
# DESTDIR to stage the files for a package.
install: install-bin install-extension

install-bin: sqlgen/upkit
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 sqlgen/upkit $(DESTDIR)$(PREFIX)/bin/upkit

install-extension: extension
	$(MAKE) -s -C extension PG_CONFIG=$(PG_CONFIG) install

uninstall: uninstall-bin uninstall-extension

uninstall-bin:
	rm -f $(DESTDIR)$(PREFIX)/bin/upkit

uninstall-extension:
	$(MAKE) -s -C extension PG_CONFIG=$(PG_CONFIG) uninstall

deps:
	@tests/harness/deps.sh

# The T-SQL grammar comes from the npm registry; only the tests need it.
deps-tsql:
	@tests/harness/deps.sh --tsql

# deps must come first: on a fresh machine nothing else can build without it.
demo: deps
	@$(MAKE) -s all
	@tests/harness/with-cluster.sh tests/harness/demo.sh

cluster-start:
	@tests/harness/cluster.sh start

cluster-stop:
	@tests/harness/cluster.sh stop

test: deps-tsql
	@$(MAKE) -s all check-tests
	@tests/harness/with-cluster.sh tests/run-tests.sh

bench: deps
	@$(MAKE) -s all check-tests
	@tests/harness/with-cluster.sh tests/bench/run.sh

clean:
	$(MAKE) -s -C extension clean
	rm -rf $(B)/sqlgen $(B)/tests $(B)/fuzz sqlgen/upkit
