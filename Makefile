# Orga - plain GNU Makefile. `make` builds bin/{orga,mailer,importer,orgactl,gar-idp};
# `make test` builds everything again under AddressSanitizer + UBSan and runs
# unit, integration and browser tests; `make run` starts the whole stack.

CC       ?= cc
SANITIZE ?=
BUILD    ?= build
BIN      ?= bin
VARIANT  := $(if $(SANITIZE),san,rel)
OUT      := $(BUILD)/$(VARIANT)
GEN      := $(BUILD)/gen
BINDIR   := $(if $(SANITIZE),$(OUT)/bin,$(BIN))
# V=1 shows whole command lines.
Q        := $(if $(V),,@)

WARN     := -Wall -Wextra -Werror -Wpedantic -Wstrict-prototypes \
            -Wmissing-prototypes -Wshadow -Wformat=2 -Wvla -Wno-format-nonliteral
PKGS     := libprotobuf-c libpq libcurl libmicrohttpd libarchive libsodium \
            jansson expat lasso glib-2.0 gobject-2.0 libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lnng -lpthread -lm

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu17 $(WARN) -fno-strict-aliasing -D_GNU_SOURCE \
            -Iservices/common -I$(GEN) $(PKG_CFLAGS) -MMD -MP
ifeq ($(SANITIZE),1)
CFLAGS   := $(filter-out -O2,$(CFLAGS)) -O1 -fsanitize=address,undefined \
            -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

PROTOS     := $(wildcard proto/*.proto)
PROTO_C    := $(patsubst proto/%.proto,$(GEN)/%.pb-c.c,$(PROTOS))
PROTO_H    := $(PROTO_C:.c=.h)

# Every .c below a daemon's folder, sub-folders included (one folder per
# domain), but tests and fuzz targets.
srcs = $(filter-out %_test.c %_fuzz.c,$(shell find services/$(1) -name '*.c' | sort))
objs = $(patsubst %.c,$(OUT)/%.o,$(call srcs,$(1)))

COMMON_OBJ := $(call objs,common) $(patsubst $(GEN)/%.c,$(OUT)/gen/%.o,$(PROTO_C))
DAEMONS    := orga mailer importer ctl garidp
BINS       := $(BINDIR)/orga $(BINDIR)/mailer $(BINDIR)/importer \
              $(BINDIR)/orgactl $(BINDIR)/gar-idp

UNIT_SRCS  := $(shell find services -name '*_test.c' | sort)
UNIT_BINS  := $(patsubst services/%_test.c,$(BUILD)/san/tests/%_test,$(UNIT_SRCS))

.SECONDARY:
.PHONY: deps all test unit units integration browser run bench bench-engine fuzz fuzz-saml check clean checksrc san
all: $(BINS)

$(GEN)/%.pb-c.c $(GEN)/%.pb-c.h: proto/%.proto
	@mkdir -p $(GEN)
	@echo "  PROTO   $<"
	$(Q)protoc-c --c_out=$(GEN) -Iproto $<

$(OUT)/gen/%.o: $(GEN)/%.c $(PROTO_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(filter-out -Wpedantic -Wmissing-prototypes,$(CFLAGS)) -c -o $@ $<

$(OUT)/%.o: %.c $(PROTO_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# orga's sources name their headers from the daemon's root
# ("edge/http/http_reply.h", "school/team.h").
$(OUT)/services/orga/%.o: CFLAGS += -Iservices/orga
$(BUILD)/san/tests/orga/%: CFLAGS += -Iservices/orga
# Importer files include each other from the daemon's folder down
# ("siecle/siecle.h"); so do its unit tests and the fuzz target.
$(OUT)/services/importer/%.o: CFLAGS += -Iservices/importer

$(OUT)/libcom.a: $(COMMON_OBJ)
	$(Q)ar rcs $@ $^

$(BINDIR)/orga: $(call objs,orga) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BINDIR)/mailer: $(call objs,mailer) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
$(BINDIR)/importer: $(call objs,importer) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
# orgactl checks content bundles with orga's own loader (pure files).
CONTENT_LOADER := content content_build content_check content_dir jsonline
CONTENT_OBJ := $(patsubst %,$(OUT)/services/orga/assessment/%.o,$(CONTENT_LOADER))
$(OUT)/services/ctl/%.o: CFLAGS += -Iservices/orga
$(BUILD)/san/tests/ctl/%: CFLAGS += -Iservices/orga
$(filter $(BUILD)/san/tests/ctl/%,$(UNIT_BINS)): $(CONTENT_OBJ)
$(BINDIR)/orgactl: $(call objs,ctl) $(CONTENT_OBJ) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)
# The local GAR (SAML identity provider) for development and tests.
$(BINDIR)/gar-idp: $(call objs,garidp) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/san/tests/importer/%: CFLAGS += -Iservices/importer

# Tests always run on the sanitized build (build/san/).
san:
	$(MAKE) SANITIZE=1 BUILD=$(BUILD) all units

units: $(UNIT_BINS)

# A unit test links its own module's objects except main.c.
ifeq ($(SANITIZE),1)
.SECONDEXPANSION:
$(BUILD)/san/tests/%_test: services/%_test.c $$(filter-out $(OUT)/services/$$(firstword $$(subst /, ,$$*))/main.o,$$(call objs,$$(firstword $$(subst /, ,$$*)))) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o %.a,$^) $(PKG_LIBS) -lcmocka
endif

# The Debian packages, installed once (a no-op when present).
deps:
	@./scripts/setup-debian.sh --if-missing

test: deps
	$(MAKE) san
	./tests/run-all.sh

unit: san
	./tests/run-unit.sh

integration: san
	./tests/run-integration.sh

browser: san
	./tests/run-browser.sh

run: deps
	$(MAKE) all
	./scripts/run.sh

bench: all
	./bench/run.sh

# The assessment engine's step time over a generated 384-question bundle
# (bench/engine_bench.c; release build; not part of `make test`).
# Only the pure parts: the use cases beside them need the whole daemon.
ASSESS_OBJ := $(CONTENT_OBJ) $(patsubst %,$(OUT)/services/orga/assessment/%.o,engine answer results)

$(OUT)/bench/engine_bench: bench/engine_bench.c $(ASSESS_OBJ) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(CFLAGS) -Iservices/orga $(LDFLAGS) -o $@ \
	    $(filter %.c %.o %.a,$^) $(PKG_LIBS)

bench-engine: $(OUT)/bench/engine_bench
	$(OUT)/bench/engine_bench

# libFuzzer on the SIECLE parser (services/importer/siecle/: the pure
# parser, without libpq, and its fuzz target siecle_fuzz.c), built with
# clang in $(BUILD)/fuzz/ and run FUZZ_SECONDS on a corpus seeded from
# FUZZ_SEEDS (each sample also prefixed with a chunk-size byte, which the
# target reads first, and zipped). Findings land in $(BUILD)/fuzz/.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_SEEDS   ?= ../shared/siecle-samples
FUZZ_OUT     := $(BUILD)/fuzz
FUZZ_BIN     := $(FUZZ_OUT)/siecle_fuzz
FUZZ_CORPUS  := $(FUZZ_OUT)/corpus
FUZZ_SAN     := address,undefined
FUZZ_CFLAGS  := -std=gnu17 -O1 -g $(filter-out -Werror,$(WARN)) \
                -fno-strict-aliasing -D_GNU_SOURCE -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined -Iservices/common \
                -Iservices/importer $(PKG_CFLAGS) -MMD -MP
FUZZ_SRCS    := $(filter-out %_test.c %_fuzz.c,$(shell find \
                services/importer/siecle -name '*.c' | sort)) \
                $(patsubst %,services/common/%.c,buf err log validate utf8)
FUZZ_OBJS    := $(patsubst %.c,$(FUZZ_OUT)/%.o,$(FUZZ_SRCS))
FUZZ_LIBS    := $(shell pkg-config --libs expat libarchive libsodium \
                2>/dev/null)

$(FUZZ_OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) \
	    -c -o $@ $<

$(FUZZ_BIN): $(FUZZ_OUT)/services/importer/siecle/siecle_fuzz.o $(FUZZ_OBJS)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ \
	    $(filter %.o,$^) $(FUZZ_LIBS)

fuzz: $(FUZZ_BIN)
	@mkdir -p $(FUZZ_CORPUS)
	$(Q)for f in $(FUZZ_SEEDS)/*.xml; do \
	    [ -f "$$f" ] || continue; \
	    b=$$(basename "$$f" .xml); \
	    cp "$$f" $(FUZZ_CORPUS)/raw-$$b.xml; \
	    { printf '\077'; cat "$$f"; } >$(FUZZ_CORPUS)/c64-$$b.xml; \
	    { printf '\000'; cat "$$f"; } >$(FUZZ_CORPUS)/c1-$$b.xml; \
	    rm -f $(FUZZ_OUT)/seed.zip; \
	    (cd "$$(dirname "$$f")" && zip -q -X \
	        "$(abspath $(FUZZ_OUT))/seed.zip" "$$(basename "$$f")") && \
	    { printf '\377'; cat $(FUZZ_OUT)/seed.zip; } \
	        >$(FUZZ_CORPUS)/zip-$$b; \
	done; rm -f $(FUZZ_OUT)/seed.zip
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -timeout=30 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_OUT)/ $(FUZZ_CORPUS)

# libFuzzer on the GAR response reader (services/orga/gar/saml_fuzz.c: the
# plain-tree check and the attribute reader of saml_values.c), seeded from
# tests/fixtures/saml/ with its dictionary; FUZZ_SECONDS as above.
SAML_FUZZ_BIN    := $(FUZZ_OUT)/saml_fuzz
SAML_FUZZ_CORPUS := $(FUZZ_OUT)/saml-corpus

$(FUZZ_OUT)/services/orga/%.o: FUZZ_CFLAGS += -Iservices/orga

$(SAML_FUZZ_BIN): $(FUZZ_OUT)/services/orga/gar/saml_fuzz.o \
    $(FUZZ_OUT)/services/orga/gar/saml_values.o
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $@ $^ \
	    $(shell pkg-config --libs libxml-2.0 2>/dev/null)

fuzz-saml: $(SAML_FUZZ_BIN)
	@mkdir -p $(SAML_FUZZ_CORPUS)
	$(Q)cp tests/fixtures/saml/*.xml $(SAML_FUZZ_CORPUS)/
	$(SAML_FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
	    -timeout=10 -print_final_stats=1 \
	    -dict=tests/fixtures/saml/saml.dict \
	    -artifact_prefix=$(FUZZ_OUT)/saml- $(SAML_FUZZ_CORPUS)

checksrc:
	./scripts/checksrc.sh

check: test checksrc

clean:
	rm -rf build bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
