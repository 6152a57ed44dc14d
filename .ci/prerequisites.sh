#!/usr/bin/env bash
# Installs what the build and the tests need beyond the .NET SDK, where it is missing, and checks the rest.
# - Node.js/npm: fetches Google's .proto files at build time (Debian packages).
# - A Java runtime: runs the Pub/Sub emulator (Debian package).
# - Chromium: the browser test opens the load-test report in it, headless (Debian package; no test downloads a browser).
# - The gcloud SDK's Bigtable and Pub/Sub emulators: they come from Google's own repository, not Debian's,
#   so they are checked here and named for the person to install.
set -euo pipefail

missing=()
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]})." >&2
    exit 1
  fi
fi

if [ -z "${BIGTABLE_EMULATOR_HOST:-}" ] || [ -z "${PUBSUB_EMULATOR_HOST:-}" ]; then
  if ! command -v gcloud >/dev/null 2>&1; then
    echo "gcloud is not on PATH: install the Google Cloud CLI with its emulators (apt-get install google-cloud-cli google-cloud-cli-bigtable-emulator google-cloud-cli-pubsub-emulator, or gcloud components install bigtable pubsub-emulator), or set BIGTABLE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST." >&2
    exit 1
  fi
  root=$(gcloud info --format='value(installation.sdk_root)')
  for path in platform/bigtable-emulator/cbtemulator platform/pubsub-emulator/bin/cloud-pubsub-emulator; do
    if [ ! -x "$root/$path" ]; then
      echo "Missing $root/$path: install it with gcloud components install bigtable pubsub-emulator (or apt-get install google-cloud-cli-bigtable-emulator google-cloud-cli-pubsub-emulator)." >&2
      exit 1
    fi
  done
fi
