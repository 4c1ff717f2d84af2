#!/usr/bin/env bash
# Renders the README screenshots into docs/screenshots (or the directory given): the main window
# in English and Arabic, light, dark and high contrast, each with a finished demo answer (headings, a code block,
# a table, mixed directions), and an answer that failed (a profile pointing at a closed port) so
# the error card shows.
#
# Each picture is taken by the app itself (`qalam --screenshot FILE`) once the answer to --ask
# has ended: no fixed waits, and exactly the window (no desktop around it). Runs on the real X11
# platform under a virtual X server when xvfb-run is there, else on the offscreen platform.
# Needs a build (scripts/setup.sh). Every run uses a fresh, temporary profile directory.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${QALAM_BUILD_DIR:-build}"
app="$build_dir/app/desktop/qalam"
out="${1:-docs/screenshots}"
mkdir -p "$out"
[ -x "$app" ] || { echo "screenshots: build first ($app is missing)" >&2; exit 1; }

themes=(light dark high-contrast)
if ! QT_QPA_PLATFORM=offscreen "$app" --help 2>/dev/null | grep -q -- "--theme"; then
    themes=("") # a build without themes: the platform's look only
fi

# shoot FILE LANG THEME QUESTION [qalam options...]
shoot() {
    local file=$1 lang=$2 theme=$3 question=$4
    shift 4
    local home
    home=$(mktemp -d)
    local args=(--lang "$lang" --demo-rate 4000 --settings "$home/qalam.ini"
        --database "$home/qalam.sqlite3" --ask "$question" --screenshot "$file" "$@")
    [ -n "$theme" ] && args+=(--theme "$theme")
    if command -v xvfb-run >/dev/null; then
        XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
            xvfb-run -a -s "-screen 0 1200x800x24" env QT_QPA_PLATFORM=xcb "$app" "${args[@]}"
    else
        XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
            QT_QPA_PLATFORM=offscreen "$app" "${args[@]}"
    fi
    rm -rf "$home"
    echo "screenshots: wrote $file"
}

# A profile whose server is not there: port 9 (discard) on loopback refuses connections.
broken_profile() {
    cat >"$1" <<'INI'
[General]
formatVersion=1

[profiles]
broken\name=Local server
broken\baseUrl=http://127.0.0.1:9/v1
broken\protocol=openai
broken\model=llama3
INI
}

for theme in "${themes[@]}"; do
    suffix=${theme:+-$theme}
    shoot "$out/qalam-en$suffix.png" en "$theme" "Show me a sample answer with a table and code" --demo
    shoot "$out/qalam-ar$suffix.png" ar "$theme" "أرني مثالًا فيه جدول وشيفرة" --demo
done

# The error card, in the first theme: the settings file must exist before the app starts.
home=$(mktemp -d)
broken_profile "$home/qalam.ini"
args=(--lang en --settings "$home/qalam.ini" --database "$home/qalam.sqlite3" --profile "Local server"
    --ask "Why is the disk full? Check /var/log's size" --screenshot "$out/qalam-error.png")
[ -n "${themes[0]}" ] && args+=(--theme "${themes[0]}")
XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" QT_QPA_PLATFORM=offscreen "$app" "${args[@]}"
rm -rf "$home"
echo "screenshots: wrote $out/qalam-error.png"

# The Arabic interface around the messages: the first menu open, the two dialogs.
first_theme=${themes[0]}
for subject in menu preferences profiles; do
    shoot "$out/qalam-ar-$subject.png" ar "$first_theme" "أرني مثالًا فيه جدول وشيفرة" --demo \
        --screenshot-of "$subject"
done

# A sidebar with mixed titles (Arabic with Latin words and numbers, English, a long Arabic one
# to show elision at its logical end), in both interface languages: several questions asked in
# turn into one history, the last run's window kept.
mixed_sidebar() {
    local file=$1 lang=$2
    local home
    home=$(mktemp -d)
    local questions=("كيف أعيد تشغيل خدمة nginx على المنفذ 8080؟"
        "Why does SSE through a proxy need X-Accel-Buffering: no?"
        "اشرح لي بالتفصيل كيف يستأنف قلم البث بعد انقطاع الاتصال دون أن يفقد أي كلمة من الإجابة"
        "ما الفرق بين Server-Sent Events و WebSocket؟")
    local last=$((${#questions[@]} - 1))
    for i in "${!questions[@]}"; do
        local shot="$home/run-$i.png"
        [ "$i" -eq "$last" ] && shot="$file"
        local args=(--lang "$lang" --demo --demo-rate 4000 --settings "$home/qalam.ini"
            --database "$home/qalam.sqlite3" --ask "${questions[$i]}" --screenshot "$shot")
        [ -n "$first_theme" ] && args+=(--theme "$first_theme")
        XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" QT_QPA_PLATFORM=offscreen \
            "$app" "${args[@]}"
    done
    rm -rf "$home"
    echo "screenshots: wrote $file"
}
mixed_sidebar "$out/qalam-ar-sidebar-mixed.png" ar
mixed_sidebar "$out/qalam-en-sidebar-mixed.png" en

# A spoofed answer: bidi overrides that would show "1234-5678" as "8765-4321" and another host
# in a link, shown as visible marks with a warning. The answer is a recording (docs/recording.md)
# played back by `qalam-cli serve --replay`, so no real backend is needed.
cli="$build_dir/app/cli/qalam-cli"
if [ -x "$cli" ]; then
    home=$(mktemp -d)
    # The SSE body's JSON carries the controls as \u escapes; the recording keeps the bytes as
    # text, so each backslash is doubled once more for the JSON Lines file.
    cat >"$home/spoofed.jsonl" <<'JSONL'
{"type":"recording","version":1,"created":"2026-12-01T00:00:00Z","tool":"scripts/screenshots.sh"}
{"type":"request","method":"POST","url":"http://127.0.0.1/api/v1/stream/chat","protocol":"admin","headers":[["Content-Type","application/json"]],"body_text":"{\"prompt\":\"ما رقم الحساب؟\"}"}
{"type":"response","status":200,"reason":"OK","at_ms":1,"headers":[["Content-Type","text/event-stream; charset=utf-8"],["Cache-Control","no-cache, no-transform"]]}
{"type":"chunk","at_ms":2,"text":"event: hello\nid: s-spoof.0\ndata: {\"stream_id\":\"s-spoof\",\"model\":\"replay\",\"created\":1764547200}\n\n"}
{"type":"chunk","at_ms":3,"text":"event: delta\nid: s-spoof.1\ndata: {\"seq\":1,\"text\":\"حوّل المبلغ إلى الحساب رقم \\u202e1234-5678\\u202c قبل نهاية اليوم.\\n\\n\"}\n\n"}
{"type":"chunk","at_ms":4,"text":"event: delta\nid: s-spoof.2\ndata: {\"seq\":2,\"text\":\"ثم سجّل الدخول من https://bank.example/\\u202elive.moc\\u202c/login وأكّد العملية.\"}\n\n"}
{"type":"chunk","at_ms":5,"text":"event: done\nid: s-spoof.3\ndata: {\"finish_reason\":\"stop\",\"deltas\":2}\n\n"}
{"type":"end","at_ms":6,"error":"","stopped":false,"truncated":false}
JSONL
    "$cli" serve --port 0 --replay "$home/spoofed.jsonl" >"$home/serve.out" 2>&1 &
    server=$!
    port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$home/serve.out")
        [ -n "$port" ] && break
        sleep 0.1
    done
    cat >"$home/qalam.ini" <<INI
[General]
formatVersion=1

[profiles]
replay\name=Recorded backend
replay\baseUrl=http://127.0.0.1:$port/api/v1/stream/chat
replay\protocol=admin
INI
    args=(--lang ar --settings "$home/qalam.ini" --database "$home/qalam.sqlite3"
        --profile "Recorded backend" --ask "ما رقم الحساب؟" --screenshot "$out/qalam-ar-spoofed.png")
    [ -n "$first_theme" ] && args+=(--theme "$first_theme")
    XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" QT_QPA_PLATFORM=offscreen \
        "$app" "${args[@]}" || true
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$home"
    echo "screenshots: wrote $out/qalam-ar-spoofed.png"
fi
