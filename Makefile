# dialbridge — the two commands of the README are `make run` and `make test`.
GO      ?= go
BIN     := bin/dialbridge
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run demo build deps deps-run test unit fuzz vet bench clean package package-windows test-link screenshots bench-window mutants extension

## run: install what is missing, build, start dialbridge (a simulated phone when none is configured)
run: deps-run build
	./$(BIN)

## demo: the same, always with the simulated phone
demo: deps-run build
	./$(BIN) demo

## build: bin/dialbridge and its two siblings, dialbridge-resident and dialbridge-ui
build:
	GO=$(GO) LDFLAGS='$(LDFLAGS)' bash .ci/build.sh bin

deps:
	@bash .ci/deps.sh

# deps-run: only what building and running need (make run, make demo)
deps-run:
	@bash .ci/deps.sh run

## test: vet, every test inside a throwaway desktop session (D-Bus, keyring, Xvfb), bounded fuzzing, the Windows build
test: deps vet
	bash .ci/desktop-session.sh $(GO) test -count=1 -timeout 30m ./...
	bash .ci/fuzz.sh
	d=$$(mktemp -d /tmp/dialbridge-windows.XXXXXX) && bash .ci/package-windows.sh "$$d" && rm -rf "$$d"

# Also vetted for Windows and macOS: what builds there without cgo (the front,
# the desktop integration); the cgo parts need the platform's own compiler.
CROSS_VET := ./cmd/dialbridge ./cmd/internal/reach ./cmd/internal/idlemem ./cmd/internal/nativemsg ./actionurl/control ./packaging/nativehost \
	./packaging/programs ./packaging/integrate ./packaging/macos ./packaging/winreg ./packaging/winshell ./packaging/xdg \
	./ui/hotkey/... ./ui/tray/clipboard

vet:
	$(GO) vet ./...
	GOOS=windows CGO_ENABLED=0 $(GO) vet $(CROSS_VET)
	GOOS=darwin CGO_ENABLED=0 $(GO) vet $(CROSS_VET)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

## bench: every benchmark, several runs each, written to BENCHMARKS.md
bench: deps
	bash .ci/bench.sh

## package: dist/dialbridge_VERSION_amd64.deb (binary, tel:/callto:/sip: desktop entry, icons, autostart, browser host manifests) and the browser extension's store zips
package: deps
	VERSION=$(VERSION) bash .ci/package-deb.sh dist
	bash .ci/extension.sh dist --zip

## extension: the browser extension, unpacked, in dist/extension/ (load it as it is: chrome://extensions, "Load unpacked")
extension: deps
	bash .ci/extension.sh dist

## package-windows: dist/windows/dialbridge.exe (MinGW-w64 cross build) with install.cmd
package-windows: deps
	VERSION=$(VERSION) bash .ci/package-windows.sh dist/windows

## test-link: install the .deb in a throwaway root and click tel:/callto:/sip: links for real
test-link: deps
	bash .ci/test-link-deb.sh

## screenshots: every window in English and German, taken under Xvfb, into docs/screenshots/
screenshots: deps
	bash .ci/screenshots.sh

## bench-window: time from `dialbridge ui dial` start to its window mapped, against a bare Fyne window
bench-window: deps
	bash .ci/bench-window.sh

fuzz:
	FUZZTIME=60s bash .ci/fuzz.sh

## mutants: apply each one-line bug of .ci/mutants.txt to a scratch copy and check that the tests catch it (not part of make test)
mutants: deps
	bash .ci/desktop-session.sh bash .ci/mutants.sh

clean:
	rm -rf bin dist
