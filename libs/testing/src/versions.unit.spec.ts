import fs from 'node:fs';
import path from 'node:path';
import { KAFKA_IMAGE, KAFKA_VERSION } from './versions';

/** The three ways of running Kafka must agree on one version; drift breaks "works on my machine". */
const root = path.resolve(__dirname, '..', '..', '..');

describe('pinned Kafka version', () => {
  it('is the version the local broker resolves from Maven Central', () => {
    const pom = fs.readFileSync(path.join(root, 'libs/testing/kafka/pom.xml'), 'utf8');
    expect(pom).toContain(`<kafka.version>${KAFKA_VERSION}</kafka.version>`);
  });

  it('is the image docker-compose runs', () => {
    const compose = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const images = [...compose.matchAll(/image:\s*(apache\/kafka:\S+)/g)].map((m) => m[1]);
    expect(images).toEqual([KAFKA_IMAGE]);
  });
});
