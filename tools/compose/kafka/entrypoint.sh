#!/bin/sh
# TEST FIXTURE entrypoint (see Containerfile): writes server.properties from the environment as
# apache/kafka does (KAFKA_FOO_BAR=x -> foo.bar=x), formats the log directory once (CLUSTER_ID)
# and runs the broker in the foreground.
set -eu
props=/opt/kafka/config/server.properties
: >"$props"
env | grep '^KAFKA_' | while IFS='=' read -r name value; do
  key=$(echo "${name#KAFKA_}" | tr 'A-Z_' 'a-z.')
  echo "$key=$value" >>"$props"
done
# The compose file mounts its volume here; apache/kafka's own default is under /tmp.
grep -q '^log.dirs=' "$props" || echo "log.dirs=/var/lib/kafka/data" >>"$props"
cp="/opt/kafka/libs/*"
log4j="-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties"
# --ignore-formatted: a no-op on later starts, so the volume's data survives restarts.
java -cp "$cp" "$log4j" kafka.tools.StorageTool format --ignore-formatted \
  --cluster-id "${CLUSTER_ID:?set CLUSTER_ID}" --config "$props"
exec java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true "$log4j" -cp "$cp" kafka.Kafka "$props"
