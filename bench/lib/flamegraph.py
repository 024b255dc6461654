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

# The parts of a request, for `shares`: a sample counts under each part whose frame it holds.
PARTS = [
    ("Tomcat: HTTP parsing, socket I/O (whole request)", r"org[/.]apache[/.]coyote"),
    ("Spring MVC dispatch (DispatcherServlet, all below it)", r"DispatcherServlet\.doDispatch"),
    ("reading the body (message converter, Jackson, binding)", r"readWithMessageConverters|RecordBodyConverter\.read"),
    ("validation (Hibernate Validator)", r"org[/.]hibernate[/.]validator"),
    ("writing the answer (Jackson)", r"writeWithMessageConverters"),
    ("the enroll transaction (service and SQL)", r"EnrollmentService\.enroll|PeerApplication.*enroll|JdbcClient"),
    ("JDBC: pgjdbc and Hikari", r"org[/.]postgresql|com[/.]zaxxer"),
    ("transaction begin/commit (Spring)", r"TransactionTemplate\.execute|AbstractPlatformTransactionManager"),
    ("Spring Security chain", r"FilterChainProxy\.doFilter"),
    ("bearer key check", r"BearerAuthenticationFilter\.doFilterInternal"),
    ("rate limit", r"RateLimitFilter\.doFilterInternal"),
    ("idempotency filter", r"IdempotencyFilter\.doFilterInternal"),
    ("request log line", r"RequestLogFilter\.doFilterInternal|ch[/.]qos[/.]logback"),
    ("request id", r"RequestIdFilter\.doFilterInternal"),
    ("http.server.requests observation", r"ServerHttpObservationFilter|io[/.]micrometer"),
    ("logging (Logback)", r"ch[/.]qos[/.]logback"),
    ("garbage collection and JIT (JVM threads)", r"^(GC|G1|C2|C1|Compile|VM Thread)|^\[?(gc|GC)"),
]


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


def cmd_shares(args):
    profiles = [(path, read(path)) for path in args.stacks]
    header = "| Part of a request (samples holding the frame) | " + " | ".join(
        args.names[i] if args.names and i < len(args.names) else path for i, (path, _) in enumerate(profiles)) + " |"
    print(header)
    print("|---|" + "---|" * len(profiles))
    for label, pattern in PARTS:
        regex = re.compile(pattern)
        cells = []
        for _, stacks in profiles:
            total = sum(c for _, c in stacks) or 1
            hit = sum(c for frames, c in stacks if any(regex.search(f) for f in frames))
            cells.append(f"{100.0 * hit / total:.1f} %")
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
    shares.set_defaults(func=cmd_shares)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    sys.exit(main())
