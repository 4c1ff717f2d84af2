#!/usr/bin/env python3
"""The conversation as a screen reader sees it, over AT-SPI (run by run-atspi-test.sh).

Starts the real Qalam (--demo --ask) on the private session bus and X display the wrapper made,
finds it on the accessibility bus, finds the conversation's list and checks: the question and
the answer are its items, in order, with their names and texts; the answer's text grows while
it streams; the text-changed:insert events a screen reader receives come per sentence, not per
token, and add up to the answer; the answer ends announced as complete.

Waits are bounded polls with generous deadlines (a loaded 2-core machine is slow), never a
fixed sleep that something must happen within. Exit code: 0 pass, 1 fail.
"""

import os
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

import pyatspi  # noqa: E402

QUESTION = "How does Qalam keep a streamed answer safe?"
DEADLINE_S = 90
SENTENCE_MARKS = ".!?\u061f\u2026"


def log(message):
    print(f"atspi: {message}", flush=True)


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def pump(seconds):
    """Runs the GLib main context (where AT-SPI events are delivered) for up to `seconds`."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not context.iteration(False):
            time.sleep(0.01)


def poll(what, predicate, timeout=DEADLINE_S, step=0.05):
    """Calls predicate until it returns something true, pumping events in between."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        pump(step)
    fail(f"timed out after {timeout} s waiting for {what}")


def fresh(accessible):
    # libatspi caches names, descriptions and states; a screen reader updates its cache from
    # events, this test simply asks again.
    accessible.clear_cache()
    return accessible


def find(root, predicate, depth=0):
    if root is None or depth > 40:
        return None
    try:
        if predicate(root):
            return root
        for i in range(root.get_child_count()):
            found = find(root.get_child_at_index(i), predicate, depth + 1)
            if found is not None:
                return found
    except GLib.Error:
        return None  # an object that went away while walking
    return None


def text_of(accessible):
    if "Text" not in accessible.get_interfaces():
        return None
    return Atspi.Text.get_text(accessible, 0, Atspi.Text.get_character_count(accessible))


def main():
    app_path, scratch = sys.argv[1], sys.argv[2]

    changes = []  # (kind, offset, text, source) of every text-changed:insert / :delete

    def on_change(event):
        kind = "insert" if event.type.endswith("insert") else "delete"
        changes.append((kind, event.detail1, event.any_data, event.source))

    # Registered before the app starts: Qt sends only the events someone listens to.
    pyatspi.Registry.registerEventListener(on_change, "object:text-changed:insert",
                                           "object:text-changed:delete")

    env = dict(os.environ)
    env.update(QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_ACCESSIBILITY="1", QT_QPA_PLATFORM="xcb")
    args = [app_path, "--demo", "--lang", "en", "--theme", "light",
            "--database", os.path.join(scratch, "qalam.sqlite3"),
            "--settings", os.path.join(scratch, "qalam.ini"),
            # Slow enough that the answer streams for several seconds.
            "--demo-rate", "15", "--ask", QUESTION]
    log("starting " + " ".join(args))
    app = subprocess.Popen(args, env=env)
    try:
        run(app, changes)
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()


def run(app, changes):
    desktop = Atspi.get_desktop(0)

    def application():
        if app.poll() is not None:
            fail(f"qalam exited early with {app.returncode}")
        for i in range(desktop.get_child_count()):
            candidate = desktop.get_child_at_index(i)
            try:
                if candidate is not None and candidate.get_process_id() == app.pid:
                    return candidate
            except GLib.Error:
                continue
        return None

    qalam = poll("Qalam on the accessibility bus", application)
    log(f"found the application: {qalam.get_name()!r}")

    def conversation():
        return find(qalam, lambda a: a.get_role() == Atspi.Role.LIST
                    and a.get_name() == "Conversation")

    view = poll("the conversation list", conversation)
    log("found the conversation list")

    def items():
        fresh(view)
        found = []
        for i in range(view.get_child_count()):
            child = view.get_child_at_index(i)
            if child is not None and child.get_role() == Atspi.Role.LIST_ITEM:
                found.append(child)
        return found

    # The question and the answer, in that order.
    listed = poll("the question and the answer as list items", lambda: len(items()) >= 2)
    assert listed
    question, answer = items()[:2]
    if fresh(question).get_name() != "You":
        fail(f"the question's item is named {question.get_name()!r}, not 'You'")
    if text_of(question) != QUESTION:
        fail(f"the question's text is {text_of(question)!r}")
    answer_name = fresh(answer).get_name()
    if not answer_name or answer_name == "You":
        fail(f"the answer's item is named {answer_name!r}")
    log(f"items: You: {QUESTION!r}; {answer_name}: (streaming)")

    # The answer grows while it streams: three times a longer text than before.
    lengths = []
    snapshots = []

    def busy():
        return fresh(answer).get_state_set().contains(Atspi.StateType.BUSY)

    def grown_three_times():
        current = text_of(answer) or ""
        if not lengths or len(current) > lengths[-1]:
            lengths.append(len(current))
            snapshots.append(current)
        return len([n for n in lengths if n > 0]) >= 3

    poll("the answer's text to grow three times", grown_three_times, step=0.02)
    if not busy():
        fail("the answer grew three times but is not busy (streaming) any more; "
             "use a slower --demo-rate")
    log(f"the answer grew: lengths {lengths}")

    # It completes: not busy, and its description says so.
    def complete():
        return not busy() and "Answer complete" in (fresh(answer).get_description() or "")

    poll("the answer to be announced complete", complete)
    final = text_of(answer)
    log(f"complete: {len(final)} characters; description {answer.get_description()!r}")
    if len(final) <= lengths[-1]:
        fail("the final text is not longer than what was seen while streaming")
    for snapshot in snapshots:
        # What was read while streaming stays, up to its last sentence (the open tail may
        # still change its shape, e.g. a table taking form).
        last_mark = max(snapshot.rfind(mark) for mark in SENTENCE_MARKS)
        stable = snapshot[:last_mark + 1] if last_mark >= 0 else ""
        if not final.startswith(stable):
            fail(f"text read while streaming ({stable!r}) is not how the answer begins")

    # What a screen reader was told: the answer's text changes, replayed the way a screen
    # reader keeps its copy of the text, add up to the answer; the inserts with words in them
    # come per sentence or line, not per token.
    pump(0.5)  # deliver events already sent
    mine = [(kind, offset, text) for (kind, offset, text, source) in changes if source == answer]
    told = ""
    for kind, offset, text in mine:
        if kind == "insert":
            told = told[:offset] + text + told[offset:]
        else:
            if told[offset:offset + len(text)] != text:
                fail(f"a delete event removes {text!r} at {offset}, but there is "
                     f"{told[offset:offset + len(text)]!r}")
            told = told[:offset] + told[offset + len(text):]
    if told != final:
        fail(f"the text changes do not add up to the answer:\n{told!r}\n!=\n{final!r}")
    spoken = [(offset, text) for kind, offset, text in mine
              if kind == "insert" and text.strip()]
    if len(spoken) < 2:
        fail(f"expected several text-changed:insert events for the answer, got {len(spoken)}")
    words = len(final.split())
    if len(spoken) * 3 > words:
        fail(f"{len(spoken)} insert events for {words} words: not batched by sentence")
    for offset, text in spoken[:-1]:
        stripped = text.rstrip()
        if stripped[-1] not in SENTENCE_MARKS + "\"')]*`\u201d\u2019" and "\n" not in text:
            fail(f"an insert event ends mid-sentence: {text!r}")
    deletes = [text for kind, _, text in mine if kind == "delete"]
    log(f"{len(spoken)} insert events for {words} words, each ending a sentence or line; "
        f"{len(deletes)} deletes ({sum(len(t) for t in deletes)} characters)")
    log("PASS")


if __name__ == "__main__":
    main()
