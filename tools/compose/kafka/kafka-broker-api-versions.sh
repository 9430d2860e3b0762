#!/bin/bash
# TEST FIXTURE health probe under the name docker-compose.yml's healthcheck calls (the jars hold
# no kafka-tools): sends one ApiVersions v0 request to --bootstrap-server host:port and succeeds
# when the broker answers it with error code 0, which it does only once it serves requests.
set -eu
address=localhost:9092
while [ $# -gt 0 ]; do
  [ "$1" = --bootstrap-server ] && address=$2 && shift
  shift
done
# size 11 | api_key 18 (ApiVersions) | version 0 | correlation id 1 | client id "h"
reply=$(timeout 5 bash -c '
  exec 3<>"/dev/tcp/$1/$2"
  printf "\x00\x00\x00\x0b\x00\x12\x00\x00\x00\x00\x00\x01\x00\x01h" >&3
  head -c 10 <&3 | od -An -tx1 | tr -d " \n"' probe "${address%:*}" "${address##*:}")
# bytes 4-7: correlation id 1; bytes 8-9: error code 0
[ "${reply:8:12}" = "000000010000" ]
