# Orga - plain GNU Makefile. `make` builds bin/{orga,mailer,importer,orgactl};
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
            jansson expat
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

srcs = $(filter-out %_test.c %_fuzz.c,$(wildcard services/$(1)/*.c))
objs = $(patsubst %.c,$(OUT)/%.o,$(call srcs,$(1)))

COMMON_OBJ := $(call objs,common) $(patsubst $(GEN)/%.c,$(OUT)/gen/%.o,$(PROTO_C))
DAEMONS    := orga mailer importer ctl
BINS       := $(BINDIR)/orga $(BINDIR)/mailer $(BINDIR)/importer $(BINDIR)/orgactl

UNIT_SRCS  := $(wildcard services/*/*_test.c)
UNIT_BINS  := $(patsubst services/%_test.c,$(BUILD)/san/tests/%_test,$(UNIT_SRCS))

.SECONDARY:
.PHONY: deps all test unit units integration browser run bench fuzz check clean checksrc san
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
$(BINDIR)/orgactl: $(call objs,ctl) $(OUT)/libcom.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

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

checksrc:
	./scripts/checksrc.sh

check: test checksrc

clean:
	rm -rf build bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
