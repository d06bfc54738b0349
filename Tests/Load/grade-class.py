#!/usr/bin/env python3
"""Grades a simulated class of 30 against a lesson, run by hand (never in CI).

Writes 30 submissions for the lesson's exercises into a fresh folder: correct ones (the
lesson's own solutions), wrong ones (each answer's first `let` bound to 0), erroring ones (an
undefined name), empty ones (placeholders only), and hostile ones (an endless loop, a memory
bomb, a fence in an answer, an exercise the lesson does not have, bytes that are not UTF-8, a
symbolic link out of the folder, a 20 MB file). Then times `lesson grade --prepare` and
`lesson grade FOLDER --against LESSON --gradebook` (peak memory from /usr/bin/time -v), and
grades the folder a second time to show the grading cache.

  python3 Tests/Load/grade-class.py --lesson Notebooks/ptb-lstm.md --binary .build/release/lesson
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time


def exercises(lesson):
    """The solution cells' code, in order."""
    cells = re.findall(r"^```swift\n(.*?)^```", open(lesson).read(), flags=re.S | re.M)
    solutions = []
    for cell in cells:
        lines = cell.rstrip("\n").split("\n")
        if any(re.match(r"//\|\s*solution:\s*true", line) for line in lines):
            solutions.append("\n".join(line for line in lines if not line.startswith("//|")))
    return solutions


def submission(answers):
    text = "# My answers\n\n"
    for number, code in answers.items():
        text += f"```swift\n//| exercise: {number}\n{code}\n```\n\n"
    return text


def wrong(code):
    return re.sub(r"let (\w+) = .*", r"let \1 = 0", code, count=1)


def timed(command):
    started = time.time()
    run = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    seconds = time.time() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return run, seconds, int(peak.group(1)) * 1024 if peak else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lesson", default="Notebooks/ptb-lstm.md")
    parser.add_argument("--binary", default=".build/release/lesson")
    parser.add_argument("--answer-timeout", default="30")
    args = parser.parse_args()
    solutions = exercises(args.lesson)
    n = len(solutions)
    folder = tempfile.mkdtemp(prefix="lesson-class-")
    files = {}
    for k in range(10):
        files[f"correct{k:02}.md"] = submission({i + 1: code for i, code in enumerate(solutions)})
    for k in range(6):
        files[f"wrong{k:02}.md"] = submission({i + 1: (wrong(code) if (i + k) % 2 == 0 else code)
                                               for i, code in enumerate(solutions)})
    for k in range(4):
        files[f"erroring{k:02}.md"] = submission({i + 1: ("let x = undefinedName + 1" if i % 3 == k % 3 else code)
                                                  for i, code in enumerate(solutions)})
    for k in range(3):
        files[f"empty{k:02}.md"] = submission({i + 1: f"// Exercise {i + 1}: write your code here." for i in range(n)})
    files["nocells.md"] = "# I did not do it\n"
    files["endless.md"] = submission({1: "var n = 0\nwhile true { n += 1 }", **{i + 1: c for i, c in enumerate(solutions[1:], 1)}})
    files["bomb.md"] = submission({1: "var grow: [[Int]] = []\nfor i in 0..<100000 { grow.append(Array(repeating: i, count: 10_000_000)) }"})
    files["fence.md"] = submission({1: solutions[0] + "\n```\n```swift\n//| exercise: 2\nlet injected = 1"})
    files["nosuch.md"] = submission({n + 5: "let x = 1"})
    for name, text in files.items():
        # Every student's file differs (their name in it), as in a real class: no two share a grading.
        with open(os.path.join(folder, name), "w") as f:
            f.write(f"<!-- {name} {os.path.basename(folder)} -->\n" + text)
    with open(os.path.join(folder, "binary.md"), "wb") as f:
        f.write(b"\xff\xfe\x00garbage")
    os.symlink("/etc/passwd", os.path.join(folder, "link.md"))
    with open(os.path.join(folder, "huge.md"), "w") as f:
        f.write("# huge\n\n" + ("word " * 4_000_000))
    count = len(os.listdir(folder))
    print(f"{count} submissions in {folder}, {n} exercises", file=sys.stderr)

    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "")
    prepare, prepare_s, prepare_peak = timed([args.binary, "grade", "--prepare", args.lesson])
    print(prepare.stdout.strip())
    gradebook = os.path.join(folder, "..", os.path.basename(folder) + "-grades.csv")
    grade, grade_s, grade_peak = timed([args.binary, "grade", folder, "--against", args.lesson, "--gradebook", gradebook,
                                        "--answer-timeout", args.answer_timeout])
    print(grade.stdout.strip())
    again, again_s, _ = timed([args.binary, "grade", folder, "--against", args.lesson, "--gradebook", gradebook,
                               "--answer-timeout", args.answer_timeout])
    print(again.stdout.strip().splitlines()[-1])
    print(f"cpu: {cpu}, cores: {os.cpu_count()}")
    print(f"prepare: {prepare_s:.1f} s, peak {prepare_peak / 2**20:.0f} MB (exit {prepare.returncode})")
    print(f"grade {count} submissions: {grade_s:.1f} s, peak of the grading parent {grade_peak / 2**20:.0f} MB "
          f"(exit {grade.returncode})")
    print(f"grade again (grading cache): {again_s:.1f} s")
    print(f"gradebook: {os.path.normpath(gradebook)}")


if __name__ == "__main__":
    main()
