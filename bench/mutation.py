"""Mutation score of the rules: mutmut 3 mutates vfa/domain/ and the services that guard
data (assignments, consent, coding, events, moments, reel export) and runs, for each
mutant, the tests in tests/unit and tests/services that ran the mutated function.
Targets: at least 90% of the domain's mutants killed, at least 80% of the services'.
The configuration is ``[tool.mutmut]`` in pyproject.toml; docs/mutation-testing.md has
the last report. Never part of the test suite.

Run: ``.venv/bin/python -m bench.mutation`` (add ``--fresh`` to start again from nothing,
``--report`` to print the last run's scores without running, ``--survivors`` to list the
mutants no test killed, ``--markdown`` for the tables of docs/mutation-testing.md).
Needs the ``mutation`` extra: ``pip install -e .[test,mutation]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"  # one folder per group, each with its own mutants/
DOMAIN = "vfa/domain/"
SERVICES = tuple(
    f"vfa/services/{name}.py"
    for name in ("assignments", "consent", "coding", "events", "moments", "reel_export")
)
# each group's files and the tests that may kill its mutants (mutmut runs, per mutant,
# those of them that ran the mutated function)
GROUPS = {
    "domain": ([f"{DOMAIN}*"], ["tests/unit"]),
    "services": (list(SERVICES), ["tests/services"]),
}
# left out of a group's test runs: the demo's test generates three clips per test run
# (half a minute), which every mutant would pay for; the rules it touches are tested where
# they live (each group's own, so that one group's change leaves the other's results be)
LEFT_OUT = {"domain": [], "services": ["--ignore=tests/services/test_demo.py"]}
LINKED = ("vfa", "tests", "coding_schemes")
TARGETS = {"domain": 0.90, "services": 0.80}
# a test that runs longer under a mutant has hung (an endless loop): pytest-timeout ends the
# run, which counts as killed (the tests noticed); mutmut's own limit is half an hour of CPU
TEST_TIMEOUT_S = 120
# mutmut's exit codes (mutmut/stats.py); a timeout means the tests noticed the mutant
KILLED = {1, 3, 24, 36, -24, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}
UNCHECKED = {None, 2, 34}


@dataclass
class Score:
    """Counts of one module's (or one group's) mutants by outcome."""

    killed: int = 0
    survived: int = 0
    no_tests: int = 0
    other: int = 0
    unchecked: int = 0
    survivors: list[str] = field(default_factory=list)

    @property
    def checked(self) -> int:
        """Mutants whose tests ran to a verdict (or that no test reaches)."""
        return self.killed + self.survived + self.no_tests + self.other

    @property
    def ratio(self) -> float:
        """Killed share of the checked mutants (a mutant no test reaches counts as alive)."""
        return self.killed / self.checked if self.checked else 0.0

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.killed += other.killed
        self.survived += other.survived
        self.no_tests += other.no_tests
        self.other += other.other
        self.unchecked += other.unchecked
        self.survivors += other.survivors


def group_of(path: str) -> str | None:
    """'domain' or 'services' for a mutated file, None for a file outside both groups."""
    if path.startswith(DOMAIN):
        return "domain"
    if path in SERVICES:
        return "services"
    return None


def read_scores() -> dict[str, Score]:
    """Per mutated module, the outcome counts recorded in mutmut's ``.meta`` files."""
    scores: dict[str, Score] = {}
    for group in GROUPS:
        scores.update(_group_scores(group, WORK / group / "mutants"))
    return dict(sorted(scores.items()))


def _group_scores(group: str, mutants: Path) -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for meta in sorted(mutants.glob("vfa/**/*.py.meta")):
        path = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        if group_of(path) != group:
            continue
        exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        score = Score()
        for name, code in sorted(exit_codes.items()):
            if code in KILLED:
                score.killed += 1
            elif code in SURVIVED:
                score.survived += 1
                score.survivors.append(name)
            elif code in NO_TESTS:
                score.no_tests += 1
                score.survivors.append(name)
            elif code in UNCHECKED:
                score.unchecked += 1
            else:  # suspicious, segfault: reported, not counted as killed
                score.other += 1
                score.survivors.append(name)
        scores[path] = score
    return scores


def totals(scores: dict[str, Score]) -> dict[str, Score]:
    """The groups' and the overall counts."""
    groups = {"domain": Score(), "services": Score(), "overall": Score()}
    for path, score in scores.items():
        group = group_of(path)
        assert group is not None
        groups[group].add(score)
        groups["overall"].add(score)
    return groups


def table(scores: dict[str, Score], markdown: bool) -> str:
    """The per-module and per-group scores as plain text or a Markdown table."""
    rows = [(path.removeprefix("vfa/"), score) for path, score in scores.items()]
    rows += [(f"**{name}**" if markdown else name.upper(), s) for name, s in totals(scores).items()]
    head = ("module", "killed", "survived", "no tests", "other", "unchecked", "score")
    lines = []
    if markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
    else:
        lines.append(f"{head[0]:<32}" + "".join(f"{h:>10}" for h in head[1:]))
    for name, s in rows:
        cells = (s.killed, s.survived, s.no_tests, s.other, s.unchecked, f"{s.ratio:.1%}")
        if markdown:
            lines.append(f"| {name} | " + " | ".join(str(c) for c in cells) + " |")
        else:
            lines.append(f"{name:<32}" + "".join(f"{c!s:>10}" for c in cells))
    return "\n".join(lines)


def group_folder(group: str) -> Path:
    """The group's folder: links to the package, the tests and the schemes, and a copy of
    pyproject.toml whose ``[tool.mutmut]`` names the group's files and tests."""
    folder = WORK / group
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name, target_is_directory=True)
    files, tests = GROUPS[group]
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    text = re.sub(r"^only_mutate = \[.*?^\]$", f"only_mutate = {json.dumps(files)}", text,
                  count=1, flags=re.M | re.S)  # fmt: skip
    text = re.sub(r"^pytest_add_cli_args_test_selection = .*$",
                  f"pytest_add_cli_args_test_selection = {json.dumps(tests)}", text,
                  count=1, flags=re.M)  # fmt: skip
    text = re.sub(r"^timeout = \d+$", f"timeout = {TEST_TIMEOUT_S}", text, count=1, flags=re.M)
    if LEFT_OUT[group]:
        text = text.replace(
            "pytest_add_cli_args = [\n",
            "pytest_add_cli_args = [\n" + "".join(f'    "{a}",\n' for a in LEFT_OUT[group]),
            1,
        )
    (folder / "pyproject.toml").write_text(text, encoding="utf-8")
    return folder


def run_mutmut(group: str, children: int, fresh: bool, names: list[str]) -> int:
    """Run ``mutmut run`` in the group's folder; its own exit status."""
    folder = group_folder(group)
    if fresh and (folder / "mutants").exists():
        shutil.rmtree(folder / "mutants")
    # each mutant's tests are a pytest session of their own: the generated test clips are
    # kept for all of them (tests/conftest.py, GeneratedClips); mutmut copies the tests into
    # mutants/, so they are told where ../shared is
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        VFA_TEST_CLIP_CACHE=str(WORK / "clips"),
        VFA_TEST_SHARED=os.environ.get("VFA_TEST_SHARED", str(ROOT.parent / "shared")),
    )
    # the tests must import the mutated copy in mutants/, never this checkout
    env.pop("PYTHONPATH", None)
    mutmut = Path(sys.executable).with_name("mutmut")
    mine = [n for n in names if n.startswith(_module_prefixes(group))]
    if names and not mine:
        return 0
    command = [str(mutmut), "run", "--max-children", str(children), *mine]
    return subprocess.run(command, cwd=folder, env=env, check=False).returncode


def _module_prefixes(group: str) -> tuple[str, ...]:
    files, _ = GROUPS[group]
    return tuple(f.removesuffix("*").removesuffix(".py").replace("/", ".") for f in files)


def main(argv: list[str] | None = None) -> int:
    """Run mutmut (unless --report) and print the scores; 1 when a target is missed."""
    parser = argparse.ArgumentParser(prog="bench.mutation", description=__doc__.split("\n")[0])
    parser.add_argument("--report", action="store_true", help="only report the last run")
    parser.add_argument("--group", choices=[*GROUPS, "all"], default="all", help="(all)")
    parser.add_argument("--fresh", action="store_true", help="delete mutants/ first")
    parser.add_argument("--children", type=int, default=2, help="parallel test runs (2)")
    parser.add_argument("--survivors", action="store_true", help="list the last run's survivors")
    parser.add_argument("--markdown", action="store_true", help="the last run's tables")
    parser.add_argument("mutants", nargs="*", help="only these mutants (mutmut's names)")
    args = parser.parse_args(argv)
    if not (args.report or args.survivors or args.markdown):
        for group in GROUPS if args.group == "all" else [args.group]:
            status = run_mutmut(group, args.children, args.fresh, args.mutants)
            if status not in (0, 1):
                print(f"mutmut run ({group}) stopped with status {status}", file=sys.stderr)
                return status
    scores = read_scores()
    if not scores:
        print(f"no mutation results in {WORK}: run without --report first", file=sys.stderr)
        return 2
    print(table(scores, args.markdown))
    if args.survivors:
        print()
        for path, score in scores.items():
            for name in score.survivors:
                print(f"{path}: {name}")
    groups = totals(scores)
    missed = [g for g, target in TARGETS.items() if groups[g].ratio < target]
    for group in missed:
        print(f"{group}: {groups[group].ratio:.1%} killed, target {TARGETS[group]:.0%}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
