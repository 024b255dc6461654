#!/usr/bin/env python3
"""Flame graphs and a share table from async-profiler's collapsed stacks ("a;b;c 12" per line).

    flamegraph.py svg STACKS OUT.svg --title T     an SVG picture: one box per frame, width = samples
    flamegraph.py shares STACKS [STACKS ...]       a Markdown table: the share of samples (inclusive)
                                                   under each part of a request, per profile

The boxes are coloured by where the frame comes from (ours, Spring, Tomcat, JDBC, Jackson, JVM),
so the picture reads without hovering; the full frame name is in each box's <title>.
"""
import argparse
import html
import re
import sys

COLOURS = [  # first match wins: (pattern on the frame, fill, legend)
    (r"^(io/journeys|io\.journeys|bench/peer|bench\.peer)", "#5fb85f", "ours (service or peer)"),
    (r"(org/postgresql|org\.postgresql|com/zaxxer|com\.zaxxer|org/springframework/jdbc|org\.springframework\.jdbc)",
     "#a98bd6", "JDBC: pgjdbc, Hikari, Spring JDBC"),
    (r"(tools/jackson|tools\.jackson|com/fasterxml|com\.fasterxml)", "#e6c84f", "Jackson"),
    (r"(org/hibernate|org\.hibernate|jakarta/validation|jakarta\.validation)", "#d98a5f", "Hibernate Validator / JPA"),
    (r"(org/apache|org\.apache)", "#f0a04b", "Tomcat"),
    (r"(org/springframework/security|org\.springframework\.security)", "#d65f8b", "Spring Security"),
    (r"(io/micrometer|io\.micrometer|io/github/bucket4j|io\.github\.bucket4j)", "#4fb8c9", "Micrometer, Bucket4j"),
    (r"(org/springframework|org\.springframework)", "#6f9fd8", "Spring (web, core)"),
    (r"(^java|^jdk|^sun|^\[)", "#b8b8b8", "JDK"),
    (r".", "#dcdcdc", "JVM, kernel, native"),
]

# The parts of a request, for `shares`. Each sample is put under the part of its innermost frame
# that names one (searched from the leaf down, looking through JDK, kernel and native frames), so
# the parts add up to all samples: a Jackson frame inside the request log filter counts as JSON,
# the filter's own work (and the JDK calls it makes) as the filter.
PARTS = [
    ("JDBC driver and pool (pgjdbc, Hikari)", r"org[/.]postgresql|com[/.]zaxxer"),
    ("statement binding and row mapping (Spring JDBC)", r"org[/.]springframework[/.]jdbc"),
    ("transaction begin/commit (Spring)", r"org[/.]springframework[/.]transaction"),
    ("validation (Hibernate Validator)", r"org[/.]hibernate[/.]validator|jakarta[/.]validation"),
    ("JSON reading and writing (Jackson)", r"tools[/.]jackson|com[/.]fasterxml"),
    ("bearer key check (cache lookup, hashing)", r"BearerAuthenticationFilter|ApiKeyService|ApiTokens|caffeine"),
    ("rate limit (Bucket4j)", r"RateLimitFilter|bucket4j"),
    ("request log line (Logback)", r"RequestLogFilter|ch[/.]qos[/.]logback"),
    ("request id", r"RequestIdFilter|RequestIds"),
    ("http.server.requests observation (Micrometer)", r"ServerHttpObservationFilter|io[/.]micrometer"),
    ("Spring Security chain and context", r"org[/.]springframework[/.]security"),
    ("our other code (controller, service, body reading)", r"io[/.]journeys|bench[/.]peer"),
    ("Spring MVC (dispatch, arguments, converters)", r"org[/.]springframework[/.]web[/.]servlet|org[/.]springframework[/.]web[/.]method|org[/.]springframework[/.]http"),
    ("other Spring filters and framework", r"org[/.]springframework"),
    ("Tomcat (HTTP, sockets, threads)", r"org[/.]apache"),
    ("JDK alone (threads, I/O with no caller above)", r"^(java|jdk|sun)[/.]"),
]
OTHER = "JVM (GC, JIT compiler), kernel and native"
# JDK frames are looked through first: their cost belongs to the nearest caller that names a part.
JDK = re.compile(r"^(java|jdk|sun)[/.]")


def read(path):
    stacks = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            frames, _, count = line.rpartition(" ")
            stacks.append((frames.split(";"), int(count)))
    return stacks


def colour(frame):
    for pattern, fill, _ in COLOURS:
        if re.search(pattern, frame):
            return fill
    return COLOURS[-1][1]


def tree(stacks):
    root = {"name": "all", "count": 0, "children": {}}
    for frames, count in stacks:
        root["count"] += count
        node = root
        for frame in frames:
            node = node["children"].setdefault(frame, {"name": frame, "count": 0, "children": {}})
            node["count"] += count
    return root


def short(frame):
    """Class.method without the package, to fit into boxes."""
    frame = re.sub(r"_\[[jikC0-9]\]$", "", frame)
    parts = re.split(r"[/.]", frame)
    return ".".join(parts[-2:]) if len(parts) > 1 else frame


def cmd_svg(args):
    stacks = read(args.stacks)
    root = tree(stacks)
    width, row, top = 1600, 16, 60
    depth = [0]

    def measure(node, level):
        depth[0] = max(depth[0], level)
        for child in node["children"].values():
            measure(child, level + 1)
    measure(root, 0)
    height = top + (depth[0] + 1) * row + 60
    total = root["count"] or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="monospace" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="10" y="20" font-size="15">{html.escape(args.title)}</text>',
           f'<text x="10" y="38" fill="#555">{total:,} samples; width = share of samples, '
           'bottom = thread root, top = where the CPU was; hover a box for its frame</text>']
    legend_x = 10
    for _, fill, label in COLOURS:
        out.append(f'<rect x="{legend_x}" y="{height - 30}" width="12" height="12" fill="{fill}"/>'
                   f'<text x="{legend_x + 16}" y="{height - 20}">{html.escape(label)}</text>')
        legend_x += 24 + 7 * len(label)

    def draw(node, x, level):
        w = node["count"] / total * (width - 20)
        if w < 0.3:
            return
        y = height - 50 - (level + 1) * row
        name = node["name"]
        share = 100.0 * node["count"] / total
        out.append(f'<g><title>{html.escape(name)} ({node["count"]:,} samples, {share:.1f} %)</title>'
                   f'<rect x="{x:.1f}" y="{y}" width="{max(w - 0.5, 0.1):.1f}" height="{row - 1}" '
                   f'fill="{colour(name) if level else "#eeeeee"}"/>')
        label = short(name) if level else "all"
        chars = int(w / 6.6)
        if chars >= 3:
            text = label if len(label) <= chars else label[:chars - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + row - 4}">{html.escape(text)}</text>')
        out.append("</g>")
        child_x = x
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            draw(child, child_x, level + 1)
            child_x += child["count"] / total * (width - 20)
    draw(root, 10, 0)
    out.append("</svg>")
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")


def part_of(frames):
    for frame in reversed(frames):
        if JDK.search(frame):
            continue
        for label, regex in COMPILED:
            if regex.search(frame):
                return label
    return PARTS[-1][0] if any(JDK.search(f) for f in frames) else OTHER


COMPILED = [(label, re.compile(pattern)) for label, pattern in PARTS]


def cmd_shares(args):
    names = args.names or args.stacks
    columns = []
    for i, path in enumerate(args.stacks):
        counts = {}
        for frames, count in read(path):
            label = part_of(frames)
            counts[label] = counts.get(label, 0) + count
        requests = args.requests[i] if args.requests else None
        columns.append((counts, sum(counts.values()) or 1, requests))
    per_request = all(r for _, _, r in columns)
    unit = "CPU µs per request (share)" if per_request else "share of samples"
    print(f"| Part (innermost frame that names one) | " + " | ".join(f"{n}: {unit}" for n in names) + " |")
    print("|---|" + "---|" * len(columns))
    for label in [p[0] for p in PARTS] + [OTHER, "all"]:
        cells = []
        for counts, total, requests in columns:
            n = total if label == "all" else counts.get(label, 0)
            share = f"{100.0 * n / total:.1f} %"
            # one sample per millisecond of CPU (async-profiler -e cpu -i 1ms)
            cells.append(f"{n * 1000.0 / requests:,.0f} ({share})" if per_request else share)
        print(f"| {label} | " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    svg = sub.add_parser("svg")
    svg.add_argument("stacks")
    svg.add_argument("out")
    svg.add_argument("--title", default="flame graph")
    svg.set_defaults(func=cmd_svg)
    shares = sub.add_parser("shares")
    shares.add_argument("stacks", nargs="+")
    shares.add_argument("--names", nargs="*")
    shares.add_argument("--requests", nargs="*", type=int, help="requests served while each profile ran")
    shares.set_defaults(func=cmd_shares)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    sys.exit(main())
