#!/usr/bin/env bash
# Checks that the Swift sources follow .swift-format (the toolchain's `swift format`).
# Fix with: swift format format -i -r Sources Tests Package.swift
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! swift format --version >/dev/null 2>&1; then
  echo "check-format: 'swift format' is not available in this toolchain" >&2
  exit 1
fi
if ! swift format lint --strict -r Sources Tests Package.swift; then
  echo "check-format: the sources above differ from .swift-format; run: swift format format -i -r Sources Tests Package.swift" >&2
  exit 1
fi
echo "check-format: sources follow .swift-format"
