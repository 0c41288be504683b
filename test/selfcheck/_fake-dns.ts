/**
 * A small authoritative DNS server on 127.0.0.1 (dns2, UDP) for the self-check tests. Records are
 * keyed by lowercase name; a name not listed is NXDOMAIN, a listed name without the asked type is
 * NODATA. `behaviour` makes a whole domain hang (no answer) or SERVFAIL. Every question is logged.
 */
import dns2 from 'dns2';

const { Packet } = dns2;

export interface FakeRecords {
  MX?: { priority: number; exchange: string }[];
  TXT?: string[][];
  CNAME?: string;
}

export interface FakeDnsServer {
  /** `127.0.0.1:<port>` for Resolver.setServers. */
  address: string;
  /** Every question received: `TYPE name`. */
  log: string[];
  close(): Promise<void>;
}

export async function startFakeDns(
  records: Record<string, FakeRecords>,
  behaviour: Record<string, 'hang' | 'servfail'> = {},
): Promise<FakeDnsServer> {
  const log: string[] = [];
  const server = dns2.createServer({
    udp: true,
    handle(request, send) {
      const response = Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      if (!q) return send(response);
      const name = q.name.toLowerCase().replace(/\.$/, '');
      const typeName = Object.entries(Packet.TYPE).find(([, v]) => v === q.type)?.[0] ?? String(q.type);
      log.push(`${typeName} ${name}`);
      const special = Object.entries(behaviour).find(([apex]) => name === apex || name.endsWith(`.${apex}`))?.[1];
      if (special === 'hang') return undefined;
      if (special === 'servfail') {
        response.header.rcode = Packet.RCODE.SERVFAIL;
        return send(response);
      }
      const rec = records[name];
      if (!rec) {
        response.header.rcode = Packet.RCODE.NXDOMAIN;
        return send(response);
      }
      const base = { name: q.name, class: Packet.CLASS.IN, ttl: 300 };
      // dns2's typings model records as a class; plain objects are what its encoder reads.
      const answer = (r: object) => response.answers.push(r as (typeof response.answers)[number]);
      if (rec.CNAME && q.type === Packet.TYPE.CNAME) answer({ ...base, type: Packet.TYPE.CNAME, domain: rec.CNAME });
      if (rec.MX && q.type === Packet.TYPE.MX) {
        for (const mx of rec.MX) answer({ ...base, type: Packet.TYPE.MX, exchange: mx.exchange, priority: mx.priority });
      }
      if (rec.TXT && q.type === Packet.TYPE.TXT) {
        for (const t of rec.TXT) answer({ ...base, type: Packet.TYPE.TXT, data: t });
      }
      return send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = (addresses as { udp: { port: number } }).udp.port;
  return {
    address: `127.0.0.1:${port}`,
    log,
    close: () => server.close().then(() => undefined),
  };
}
