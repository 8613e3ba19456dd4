#!/usr/bin/env python3
"""Writes load-tests/RESULTS.md from the JSON lines of a `load-tests/compare` run: the table of medians,
the round-by-round ratios, the kill-switch calls and the raw results; keeps the notes below the marker.

    results.py RESULTS.jsonl RESULTS.md ROUNDS DURATION NGINX_VERSION HAPROXY_VERSION JAVA_VERSION
"""
import json, statistics, sys, platform, subprocess, datetime
results, out, rounds, duration, nginx, haproxy, java = sys.argv[1:8]
rows = [json.loads(l) for l in open(results) if l.strip().startswith('{')]
def med(proxy, scenario, key):
    vals = [r[key] for r in rows if r.get('proxy') == proxy and r.get('scenario') == scenario and key in r]
    return statistics.median(vals) if vals else None
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.machine())
mem = next((l.split(':', 1)[1].strip() for l in open('/proc/meminfo') if l.startswith('MemTotal')), '?')
cores = subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()
lines = []
lines.append('# Benchmark results\n')
lines.append('Written by `load-tests/compare` on %s UTC.\n' % datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M'))
lines.append('- Machine: %s, %s cores, %s RAM; everything (upstream, proxy, load generator) on the same machine.' % (cpu, cores, mem))
lines.append('- Versions: vendorgate (this commit, %s), nginx %s, %s.' % (java, nginx, haproxy))
lines.append('- Runs: %s rounds, proxies alternating, %ss measured after a warm-up; medians of the rounds.' % (rounds, duration))
lines.append('- Load: `load-tests.jar run` (Netty, BoringSSL), mTLS with an ECDSA P-256 client certificate, 1 KiB responses from the same upstream (`load-tests.jar upstream`).')
lines.append('- vendorgate runs the full policy: bearer token required (certificate-bound, verified per request), rate/in-flight/byte limits, the audit trail written per request, metrics on; nginx and HAProxy only proxy with mTLS.\n')
lines.append('| scenario | metric | nginx | HAProxy | vendorgate | vs nginx | vs HAProxy |')
lines.append('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
def fmt(v, digits=0):
    return '-' if v is None else ('{:,.%df}' % digits).format(v)
def ratio(a, b):
    return '-' if a is None or not b else '%.2fx' % (a / b)
for scenario, key, label, digits in [('h1-keepalive', 'rps', 'req/s', 0), ('h1-keepalive', 'p99_ms', 'p99 ms', 2),
                                     ('h2', 'rps', 'req/s', 0), ('h2', 'p99_ms', 'p99 ms', 2),
                                     ('handshakes', 'rps', 'handshakes/s', 0),
                                     ('h1-open-loop', 'p50_ms', 'p50 ms at 5k req/s', 2),
                                     ('h1-open-loop', 'p99_ms', 'p99 ms at 5k req/s', 2),
                                     ('download-1GiB', 'mbps', 'MB/s (vendorgate with -Xmx64m)', 0)]:
    n, h, g = (med(p, scenario, key) for p in ('nginx', 'haproxy', 'gateway-64m' if scenario == 'download-1GiB' else 'gateway'))
    lines.append('| %s | %s | %s | %s | %s | %s | %s |' % (scenario, label, fmt(n, digits), fmt(h, digits), fmt(g, digits), ratio(g, n), ratio(g, h)))
def cpu_per_request(proxy, scenario):
    # the proxy's CPU over the run (warm-up included) over the requests it served in that time, taken at the
    # measured rate: a per-request cost that moves less with a noisy machine than req/s does
    vals = [r['proxy_cpu_ms'] * 1000.0 / (r['rps'] * r['loaded_seconds']) for r in rows
            if r.get('proxy') == proxy and r.get('scenario') == scenario and r.get('rps') and 'proxy_cpu_ms' in r]
    return statistics.median(vals) if vals else None
for scenario in ('h1-keepalive', 'h2'):
    n, h, g = (cpu_per_request(p, scenario) for p in ('nginx', 'haproxy', 'gateway'))
    if g is not None:
        lines.append('| %s | CPU us per request (the proxy\'s processes) | %s | %s | %s | %s | %s |' % (
            scenario, fmt(n, 1), fmt(h, 1), fmt(g, 1), ratio(g, n), ratio(g, h)))
n, h, g = (med(p, 'idle-memory', 'kb_per_connection') for p in ('nginx', 'haproxy', 'gateway'))
lines.append('| idle connections | KiB resident per connection | %s | %s | %s | %s | %s |' % (fmt(n, 1), fmt(h, 1), fmt(g, 1), ratio(g, n), ratio(g, h)))
lite = med('gateway-lite', 'h1-keepalive', 'rps')
full = med('gateway', 'h1-keepalive', 'rps')
lines.append('| full policy vs checks off | req/s, HTTP/1.1 | | | %s vs %s | %s | |' % (fmt(full), fmt(lite), ratio(full, lite)))
tokens = med('gateway-tokens', 'token-issuance', 'rps')
tokens_p99 = med('gateway-tokens', 'token-issuance', 'p99_ms')
lines.append('| token endpoint | issuances/s (p99 ms), 64 keep-alive connections | | | %s (%s) | | |' % (fmt(tokens), fmt(tokens_p99, 2)))
heap = med('gateway', 'download-heap', 'max_heap_kb')
small = next((r for r in rows if r.get('scenario') == 'download-heap'), {})
errors = sum(r.get('errors', 0) for r in rows if 'rps' in r)
lines.append('')
lines.append('- Gateway heap during the 1 GiB download (max of samples every 0.5 s, `jstat`): %s MiB, run with `-Xmx%sm`; %s, %s OutOfMemoryError in its log.' % (
    '-' if heap is None else '%.1f' % (heap / 1024), small.get('xmx_mb', '?'),
    'still running after it' if small.get('alive') else 'NOT running after it', small.get('out_of_memory', '?')))
lines.append('- Errors across all load runs: %d.' % errors)
def per_round(proxy, scenario):
    return {r['round']: r['rps'] for r in rows if r.get('proxy') == proxy and r.get('scenario') == scenario and 'rps' in r}
for scenario in ('h1-keepalive', 'h2'):
    # a noisy machine moves all three together within a round (they run back to back): the round-by-round ratios
    # and each proxy's spread say how far to trust the medians above
    n, h, g = (per_round(p, scenario) for p in ('nginx', 'haproxy', 'gateway'))
    both = sorted(set(n) & set(h) & set(g))
    if both:
        spread = ', '.join('%s %s-%s' % (name, fmt(min(v.values())), fmt(max(v.values())))
                           for name, v in (('nginx', n), ('HAProxy', h), ('vendorgate', g)))
        lines.append('- %s round by round, vendorgate vs nginx %s and vs HAProxy %s; req/s ranged %s.' % (
            scenario, ', '.join('%.2fx' % (g[r] / n[r]) for r in both),
            ', '.join('%.2fx' % (g[r] / h[r]) for r in both), spread))
for scenario, how, first in (
        ('killswitch', 'the load generator at the gateway\'s priority, on the same two cores', 'the first runs the gateway\'s cut path cold'),
        ('killswitch-niced', 'the load generator at nice 10, as clients on other machines would be', 'after the calls above: the gateway is warm')):
    ks = [r for r in rows if r.get('scenario') == scenario]
    if not ks: continue
    lines.append('- Kill switch, %s: each of %d calls (%s) took %s ms by the gateway\'s count; the load generator saw %s ms.' % (
        how, len(ks), first, ', '.join('%.1f' % r.get('server_ms', -1) for r in ks), ', '.join('%.1f' % r['call_ms'] for r in ks)))
    k = sorted(ks, key=lambda r: r.get('server_ms', -1))[len(ks) // 2]
    lines.append('  Median: %d open connections of one vendor, %s requests in flight cut; the suspend call took %.1f ms by the gateway\'s own count (`tookMs`: from taking the call to the last connection closed), %.1f ms as the load generator saw it; it saw the connections closed p50 %.1f ms, p99 %.1f ms, last %.1f ms after the call; %d not closed; the other vendor meanwhile: %d requests ok, %d failed.' % (
        k['connections'], k.get('in_flight_cut', '?'), k.get('server_ms', -1), k['call_ms'], k['close_p50_ms'], k['close_p99_ms'], k['last_close_ms'], k['not_closed'], k['other_ok'], k['other_errors']))
lines.append('\nRaw results (one JSON object per run):\n')
lines.append('```')
lines.extend(json.dumps(r) for r in rows)
lines.append('```')
text = '\n'.join(lines) + '\n'
prior = ''
try:
    prior = open(out).read()
except FileNotFoundError:
    pass
marker = '<!-- notes below are kept by load-tests/compare -->'
notes = prior[prior.index(marker):] if marker in prior else marker + '\n'
open(out, 'w').write(text + '\n' + notes)
print(text)
