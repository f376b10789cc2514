# SPDX-License-Identifier: GPL-2.0
#
# vipfwd: top-level targets.
#
#   make [all]        module/vipfwd.ko (kbuild) and tool/vipctl
#   make module       the kernel module only      make tools   the tools only
#   make check        everything testable; ends with "N passed, N failed"
#   make demo         the guest-cluster walkthrough in a throwaway VM
#   make bench        the forwarding benchmark (docs/benchmarks.md)
#   make install      module into /lib/modules/$(KVER)/updates (+ depmod),
#                     tools into $(DESTDIR)$(PREFIX)/sbin, man pages
#   make dkms         register, build and install the module with DKMS
#                     (make dkms-remove undoes it)
#   make deps         install the Debian packages build and tests need
#   make clean
#
# Variables: KDIR (kernel build dir; default: the running kernel's if its
# headers are installed, else the newest installed Debian linux-headers of
# the release, not backports), KVER (pick the kernel by release instead),
# PREFIX (/usr/local), DESTDIR, W=1 and KCFLAGS go to kbuild as usual.
#
# kbuild itself reads ./Kbuild, never this file.

TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VERSION := $(shell cat $(TOP)/VERSION)

ifndef KDIR
ifdef KVER
KDIR := /lib/modules/$(KVER)/build
else ifneq ($(wildcard /lib/modules/$(shell uname -r)/build/Makefile),)
KDIR := /lib/modules/$(shell uname -r)/build
else
KDIR := /lib/modules/$(shell $(TOP)/selftests/vm/kver stable headers)/build
endif
endif
# The release the module's vermagic will carry.
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
MODDIR ?= /lib/modules/$(KVER)/updates
DKMS_SOURCE ?= /usr/src/vipfwd-$(VERSION)

# What a DKMS (or any out-of-tree) build needs, relative to $(TOP).
SOURCE_FILES = VERSION Kbuild Makefile dkms.conf \
	$(shell cd $(TOP) && find include module -type f \
		\( -name '*.c' -o -name '*.h' -o -name Makefile -o -name Kbuild \
		   -o -name Kconfig \) -not -name '*.mod.c' -not -path 'module/tests/*' | LC_ALL=C sort)

all: module tools

kdir-check:
	@test -f $(KDIR)/Makefile || { \
		echo "no kernel build directory at '$(KDIR)': install linux-headers-amd64 (make deps) or pass KDIR=/path or KVER=release" >&2; \
		exit 1; }

module: kdir-check
	$(MAKE) -C $(KDIR) M=$(TOP) modules

tools:
	$(MAKE) -C $(TOP)/tool

check:
	@$(TOP)/selftests/check

deps:
	@$(TOP)/selftests/deps

demo: deps
	$(MAKE) -C $(TOP) all
	cd $(TOP) && selftests/vm/run selftests/demo.sh

bench: deps
	$(MAKE) -C $(TOP) all
	cd $(TOP) && selftests/bench/bench

install: install-module install-tools install-man

install-module: module
	install -D -m 0644 $(TOP)/module/vipfwd.ko $(DESTDIR)$(MODDIR)/vipfwd.ko
	@if [ -z "$(DESTDIR)" ]; then echo "depmod -a $(KVER)"; depmod -a $(KVER); fi

install-tools: tools
	install -D -m 0755 $(TOP)/tool/vipctl $(DESTDIR)$(SBINDIR)/vipctl
	@if [ -x $(TOP)/tool/vipprobe ]; then \
		echo "install -D -m 0755 tool/vipprobe $(DESTDIR)$(SBINDIR)/vipprobe"; \
		install -D -m 0755 $(TOP)/tool/vipprobe $(DESTDIR)$(SBINDIR)/vipprobe; \
	fi

install-man:
	@for f in $(wildcard $(TOP)/docs/*.8); do \
		echo "install -D -m 0644 $$f $(DESTDIR)$(MANDIR)/man8/$$(basename $$f)"; \
		install -D -m 0644 $$f $(DESTDIR)$(MANDIR)/man8/$$(basename $$f) || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(MODDIR)/vipfwd.ko $(DESTDIR)$(SBINDIR)/vipctl \
		$(DESTDIR)$(SBINDIR)/vipprobe $(DESTDIR)$(MANDIR)/man8/vipctl.8 \
		$(DESTDIR)$(MANDIR)/man8/vipprobe.8
	@if [ -z "$(DESTDIR)" ]; then echo "depmod -a $(KVER)"; depmod -a $(KVER); fi

# The module's source as DKMS wants it: a clean copy in $(DKMS_SOURCE).
dkms-source:
	rm -rf $(DESTDIR)$(DKMS_SOURCE)
	cd $(TOP) && for f in $(SOURCE_FILES); do \
		install -D -m 0644 $$f $(DESTDIR)$(DKMS_SOURCE)/$$f || exit 1; \
	done
	sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' \
		$(DESTDIR)$(DKMS_SOURCE)/dkms.conf

dkms: kdir-check
	@if dkms status -m vipfwd -v $(VERSION) | grep -q .; then \
		echo "dkms remove vipfwd/$(VERSION) --all"; \
		dkms remove vipfwd/$(VERSION) --all; \
	fi
	$(MAKE) -C $(TOP) dkms-source DESTDIR=
	dkms add vipfwd/$(VERSION)
	dkms build vipfwd/$(VERSION) -k $(KVER)
	dkms install vipfwd/$(VERSION) -k $(KVER)

dkms-remove:
	-dkms remove vipfwd/$(VERSION) --all
	rm -rf $(DKMS_SOURCE)

clean:
	@if [ -f $(KDIR)/Makefile ]; then \
		echo "$(MAKE) -C $(KDIR) M=$(TOP) clean"; \
		$(MAKE) -C $(KDIR) M=$(TOP) clean; \
	fi
	$(MAKE) -C $(TOP)/tool clean

print-%:
	@echo '$($*)'

.PHONY: all kdir-check module tools check deps demo bench install \
	install-module install-tools install-man uninstall dkms-source dkms \
	dkms-remove \
	clean
