"""Writing briefs: Rich on a terminal, plain text when piped, JSON/JSONL/Markdown.

Results go to stdout; everything else (warnings, progress) goes to stderr.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TextIO

from mujaz.core.brief import NO_ENGLISH, Brief, SegmentedArticle
from mujaz.core.text import LINKS, has_letters, json_line
from mujaz.errors import OutputClosed, env_flag, on_one_line

def is_terminal(stream) -> bool:
    """Whether a stream is a terminal; False for none, or a closed one."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def default_format(stream: TextIO) -> str:
    return "rich" if is_terminal(stream) else "text"


def source_heading(location: str) -> str:
    """The line over each source's text when there are several, as `head` and `tail` write it
    (one line, whatever the file's name holds)."""
    return f"==> {on_one_line(location)} <=="


NARROWEST = 20  # columns: a box and a few words in it
FALLBACK_WIDTH = 80


def rich_console(**options):
    """A Rich console for mujaz's output (no highlighting of numbers and names in it). COLUMNS=0,
    or 1, set by hand, gave Rich no room: nothing was printed, or a box without its text."""
    from rich.console import Console

    console = _sized_console(**options)
    return console if console.width >= NARROWEST else Console(highlight=False, width=FALLBACK_WIDTH, **options)


def _sized_console(**options):
    """A Rich console as wide as the terminal, however narrow."""
    from rich.console import Console

    console = Console(highlight=False, **options)
    if console.is_dumb_terminal and "width" not in options:
        # Rich gives a dumb terminal (Emacs' shell) 80 columns whatever its size, and a 60-column
        # one saw each row of a box broken in two: COLUMNS (Emacs sets it), else the terminal's size
        # (Rich takes a width only with a height).
        size = shutil.get_terminal_size((console.width, console.height))
        console = Console(highlight=False, width=size.columns, height=size.lines, **options)
    return console


def chosen_format(fmt) -> str:
    """The --format given (a Format), else the default for stdout: rich on a terminal, text when piped."""
    return fmt.value if fmt else default_format(sys.stdout)


def write_figures(title: str, result: dict, columns: list[str], rows: list[list[str]], fmt: str) -> None:
    """`mujaz eval`'s figures: JSON with the settings; a table on a terminal; tab-separated text when piped;
    Markdown (the figures and the settings, to paste into a report)."""
    settings = result["settings"]
    # What was scored, and at what budget, with the figures in every format (JSON and Markdown
    # give all the settings): a figure of --limit 10 must not pass for the whole dataset's.
    count = settings["items"]
    title += f": {count} item{'' if count == 1 else 's'}" + (f" (--limit {settings['limit']})"
                                                            if settings["limit"] is not None else "")
    if fmt in ("json", "jsonl"):
        print(json.dumps(result, ensure_ascii=False, indent=2) if fmt == "json" else json_line(result))
        return
    if fmt == "markdown":
        settings = [[key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)]
                    for key, value in result["settings"].items()]
        print(f"### {title}\n\n{markdown_table(columns, rows)}\n\n{markdown_table(['setting', 'value'], settings)}")
        return
    if fmt == "rich":
        from rich.table import Column, Table

        # fold: a narrow terminal wraps a figure or a signature rather than cut it to "46.…"
        table = Table(*(Column(name, overflow="fold") for name in columns), title=title)
        for row in rows:
            table.add_row(*row)
        rich_console().print(table)
        return
    print(title)
    for row in [columns, *rows]:
        print("\t".join(row))


def write_model_list(rows: list[dict], fmt: str) -> None:
    """`mujaz models list`: its rows as JSON, a Markdown table, two lines a model on a terminal,
    or tab-separated text."""
    if fmt in ("json", "jsonl"):
        if fmt == "json":
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                print(json_line(row))
        return
    if fmt == "markdown":
        columns = ["role", "model", "revision", "size", "licence", "cached", "ctranslate2"]
        cells = [
            [r["role"] + (" (in use)" if r["in_use"] else ""),
             r["id"] + (f" (cannot be used: {r['problem']})" if r["problem"] else ""),
             (r["revision"] or "local")[:12], r["size"] or "?", r["licence"] or "?", "yes" if r["cached"] else "no",
             ", ".join(r["converted"]) or "-"]
            for r in rows
        ]
        print(f"{markdown_table(columns, cells)}\n\nDownload with `mujaz models pull MODEL`.")
        return
    if fmt == "rich":
        # Two lines a model rather than a seven-column table, which an 80-column terminal
        # can only show by breaking the model ids.
        from rich.padding import Padding
        from rich.text import Text

        console = rich_console()
        for r in rows:
            console.print(Text.assemble((r["role"], "bold"), " (in use)" if r["in_use"] else "", "  ", (r["id"], "bold cyan")))
            facts = [f"revision {(r['revision'] or 'local')[:12]}", r["size"] or "size ?", r["licence"] or "licence ?",
                     "downloaded" if r["cached"] else "not downloaded",
                     "converted: " + ", ".join(r["converted"]) if r["converted"] else "not converted"]
            console.print(Padding(Text(" · ".join(facts), style="dim"), (0, 0, 0, 2)))  # wrapped lines indented too
            if r["problem"]:
                console.print(Padding(Text(f"cannot be used: {r['problem']}", style="red"), (0, 0, 0, 2)))
        console.print(Text("Download with `mujaz models pull MODEL`; convert with `mujaz models convert MODEL`.", style="dim"))
        return
    for r in rows:
        print("\t".join([r["role"], r["id"], r["revision"] or "local", r["size"] or "?", r["licence"] or "?",
                         "cached" if r["cached"] else "not-cached", ",".join(r["converted"]) or "not-converted",
                         "in-use" if r["in_use"] else "not-in-use",
                         # last: why it cannot be used (the other formats say it too), "-" when nothing stops it
                         on_one_line(r["problem"]).replace("\t", " ") if r["problem"] else "-"]))


def write_facts(facts: dict, fmt: str, pairs: list[tuple[str, object]] | None = None) -> None:
    """Facts (`mujaz cache info`, `models info`): JSON, one JSON line, or as (key, value) `pairs`
    (the facts' own items unless given) in "key: value" lines or a Markdown table."""
    if fmt in ("json", "jsonl"):
        print(json.dumps(facts, ensure_ascii=False, indent=2) if fmt == "json" else json_line(facts))
        return
    pairs = list(facts.items()) if pairs is None else pairs
    if fmt == "markdown":
        print(markdown_table(["fact", "value"], [[key, _fact(value)] for key, value in pairs]))
        return
    print("\n".join(f"{key}: {_fact(value)}" for key, value in pairs))


def write_model_facts(facts: dict, fmt: str) -> None:
    """`mujaz models info`: write_facts, its nested config and generation settings a line each."""
    pairs = [(key, facts[key]) for key in ("id", "revision", "path", "cached", "licence")]
    pairs += [(f"config.{k}", v) for k, v in facts["config"].items()]
    pairs += [(f"generation.{k}", v) for k, v in facts["generation"].items()]
    pairs += [(f"file {name}", f"{size:,} bytes") for name, size in facts["files"].items()]
    write_facts(facts, fmt, pairs)


def _fact(value) -> str:
    """A config value as a person reads it, not as Python prints it (None, True, ['a'])."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):  # an inner list stays one: bad_words_ids' phrases
        return ", ".join(json.dumps(item) if isinstance(item, (list, tuple)) else _fact(item) for item in value)
    return str(value)


def markdown_table(columns: list[str], rows: list[list[str]]) -> str:
    """A GitHub-flavoured Markdown table; a `|` or a line break in a cell would end it, so they are escaped."""

    def cell(text: str) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# A line that Markdown would read as a heading, a quotation, a list item, a rule (or the rule
# under a heading), a code fence or raw HTML, not as text: `# `, `> `, `- `, `+ `, `* `, `3. `,
# `---`, `===`, "```", `~~~`, `<div`. Only ASCII digits start a numbered item.
_MARKDOWN_BLOCK = re.compile(r"(#{1,6}|[-+*])(\s|$)|>|[-_*=](\s*[-_*=]){2,}\s*$|[-=]+\s*$|`{3,}|~{3,}|<[A-Za-z/!?]")
_MARKDOWN_NUMBERED = re.compile(r"([0-9]{1,9})([.)])(\s|$)")


# Inline: what would become emphasis, code, a link, HTML or an entity anywhere in a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&])")


def markdown_inline(text: str) -> str:
    """Text for Markdown with the characters that would format it escaped (`_الوزير_` stays as it is)."""
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


def markdown_heading(text: str) -> str:
    """A heading's text: inline escapes, and a closing run of `#` kept as text, not taken as the heading's end."""
    escaped = markdown_inline(text)
    return re.sub(r"(#+)\s*$", lambda run: "\\#" * len(run.group(1)), escaped)


def markdown_block(prefix: str, text: str) -> str:
    """A headline or heading (`prefix` "# " or "## ") as Markdown; a line without a letter ("2020",
    "* * *", "-", "ـــ") as text, since a reader takes `## 2020` for a section of the article."""
    if prefix and has_letters(text):
        return prefix + markdown_heading(text)
    return markdown_text(text)


def markdown_lines(text: str) -> str:
    """Text of one line or more (a summary with a list's items) for Markdown: each line as
    markdown_text, kept a line of its own by a hard break (a soft one would run them together)."""
    return "\\\n".join(markdown_text(line) for line in text.split("\n"))


def markdown_text(text: str) -> str:
    """A line of text for Markdown: escaped where its start would make it something else, and inline."""
    text = markdown_inline(text)
    if _MARKDOWN_NUMBERED.match(text):
        return _MARKDOWN_NUMBERED.sub(r"\1\\\2\3", text, count=1)
    if _MARKDOWN_BLOCK.match(text):
        return "\\" + text
    return text


LRM = "\u200e"  # the left-to-right mark: a strong left-to-right character that shows nothing


def visual_order(text: str, width: int) -> str:
    """Arabic for terminals without right-to-left support (--bidi): wrapped to the width first,
    then each line reordered, since the terminal would otherwise wrap a reordered line from
    its wrong end."""
    if not text:
        return text
    # python-bidi's pure-Python algorithm: its Rust one (`from bidi import get_display`, 0.5 and
    # later) does not mirror brackets and quotes, and «زادة» came out as »ةداز« (python-bidi#25).
    from bidi.algorithm import get_display

    # Right to left as the base even for a line that opens with a Latin name ("CNN ..."), which
    # the automatic choice would lay out left to right. No floor on the width: a line wider than
    # its cell would be wrapped again by the terminal or Rich, from the wrong end.
    # A link is held left to right between two marks (LRM): a "/" or "." at its end, or at a line's
    # end where it was cut, was taken into the Arabic around it, and shown at its other end.
    # Each of the text's own lines (a list's items in a summary) wrapped apart.
    marked = LINKS.sub(lambda link: f"{LRM}{link[0]}{LRM}", text)
    lines = [wrapped for line in marked.split("\n") for wrapped in _wrap_cells(line, max(1, width)) or [""]]
    return "\n".join(_marks_after_their_letters(get_display(line, base_dir="R")).replace(LRM, "") for line in lines)


def _wrap_cells(text: str, width: int) -> list[str]:
    """Lines of at most `width` terminal cells (an emoji takes two), broken at spaces only (a URL's
    hyphens are no place to break it); a word wider than a line is cut, so that no line is."""
    from rich.cells import cell_len

    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        size = cell_len(word)
        if line and used + 1 + size <= width:
            line, used = f"{line} {word}", used + 1 + size
            continue
        if line:
            lines.append(line)
        line, used = "", 0
        while size > width:  # cut to the line's width, a character at a time
            cut, cut_size = "", 0
            for ch in word:
                if cut and cut_size + cell_len(ch) > width:
                    break
                cut, cut_size = cut + ch, cut_size + cell_len(ch)
            word = word[len(cut):]
            if LRM in cut:  # a link: each piece held left to right
                cut, word = cut + LRM, LRM + word
            lines.append(cut)
            size = cell_len(word)
        line, used = word, size
    if line:
        lines.append(line)
    return lines


def _marks_after_their_letters(visual: str) -> str:
    """python-bidi reverses a right-to-left run with its marks (it leaves out the algorithm's rule
    L3), so that a shadda or a tanween comes before its letter, and a terminal puts it on the cell
    before, another letter or a space: each run of marks goes back after its letter, in its order."""
    out: list[str] = []
    marks: list[str] = []
    for ch in visual:
        if _ARABIC_MARK.match(ch):
            marks.append(ch)
        else:
            out.append(ch)
            out.extend(reversed(marks))
            marks = []
    out.extend(reversed(marks))
    return "".join(out)


_ARABIC_MARK = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
                          "\u08d3-\u08e1\u08e3-\u08ff]")


def article_blocks(brief: Brief) -> list[tuple[str, str]]:
    """(kind, text) blocks of the translated article — title, headings, paragraphs."""
    blocks: list[tuple[str, str]] = []
    current_paragraph, current = None, []
    for segment, text in zip(brief.segments, brief.segments_en):
        if segment.kind == "sentence" and segment.paragraph == current_paragraph:
            current.append(text)
            continue
        if current:
            blocks.append(("paragraph", " ".join(current)))
        current, current_paragraph = [], None
        if segment.kind == "sentence":
            current, current_paragraph = [text], segment.paragraph
        else:
            blocks.append((segment.kind, text))
    if current:
        blocks.append(("paragraph", " ".join(current)))
    return blocks


def bidi_wanted(flag: bool | None, out: TextIO) -> bool:
    """--bidi/--no-bidi as given; else MUJAZ_BIDI, on a terminal only: a setting for the terminal
    one reads in must not reverse the text a script reads from a pipe."""
    if flag is not None:
        return flag
    return env_flag("MUJAZ_BIDI") and is_terminal(out)


class Writer:
    """Writes each brief as soon as it is ready; `close` finishes what needs the whole set."""

    def __init__(self, fmt: str, out: TextIO, *, bidi: bool | None = None, many: bool = False):
        self.fmt = fmt
        self.out = out
        self.bidi = bidi_wanted(bidi, out)
        # --bidi asked of a format it does not reorder: data for programs, or Markdown for a renderer
        # that does right-to-left itself (said, rather than ignored without a word).
        self.bidi_unused = bool(bidi) and fmt in ("json", "jsonl", "markdown")
        self.many = many
        self.count = 0
        self._json_items: list[dict] = []
        self._console = None
        self._text_width: int | None = None  # --bidi text lines: the terminal's width, found once

    # -- plumbing -----------------------------------------------------------
    def _print(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def console(self):
        if self._console is None:
            self._console = rich_console(file=self.out, soft_wrap=False)
        return self._console

    def _arabic(self, text: str, width: int | None = None) -> str:
        """The text, reordered under --bidi, wrapped to `width` (else the terminal's: Rich finds it on
        stderr or stdin when stdout is a pipe, `--bidi | less`, where stdout's own said 80)."""
        if not self.bidi:
            return text
        if width is None:
            if self._text_width is None:
                self._text_width = max(1, _sized_console().width)  # no floor: see visual_order
            width = self._text_width
        return visual_order(text, width)

    @contextmanager
    def _to_the_reader(self):
        """Writing, with a reader gone away (`| head`) said as OutputClosed."""
        try:
            yield
        except BrokenPipeError as error:
            raise OutputClosed from error

    def write(self, brief: Brief) -> None:
        if self._nothing_to_write(brief):
            return
        with self._to_the_reader():
            getattr(self, f"_write_{self.fmt}")(brief)
            self.count += 1
            self.out.flush()

    def write_failure(self, record: dict) -> None:
        """A failed source's record (core.brief.failure_json) in its place, in JSON and JSONL among
        several sources; the other formats are for reading, and stderr's line says it there."""
        if not self.many or self.fmt not in ("json", "jsonl"):
            return
        with self._to_the_reader():
            self._write_record(record)
            self.out.flush()

    def _nothing_to_write(self, brief: Brief) -> bool:
        # text and markdown of a translation are the English article alone: without a translator
        # there is none, and the Arabic in its place (`> article.en.md`) would pass for it. json
        # keeps the record (English null, the warning); a terminal's table keeps the Arabic column.
        return brief.task == "translate" and not brief.segments_en and self.fmt in ("text", "markdown")

    def close(self) -> None:
        # Several sources: a list of what came through, a record for each source reached (its
        # result or its error; a failure of the run itself stops at the source it met). None at
        # all means the run failed first (exit 2 or 3): no "[]" then, which would read as a run
        # over no sources.
        if self.fmt == "json" and self._json_items:
            items = self._json_items if self.many else self._json_items[0]
            with self._to_the_reader():
                self._print(json.dumps(items, ensure_ascii=False, indent=2))
                self.out.flush()

    def _header(self, brief: Brief) -> None:
        if self.many:
            if self.count:
                self._print()
            self._print(source_heading(brief.source.name))

    def _markdown_header(self, brief: Brief) -> None:
        """Articles apart, and, several in one document, each named (as text's "==> SOURCE <==")."""
        if self.count:
            self._print("\n---\n")
        if self.many:
            self._print(f"*source: {markdown_inline(on_one_line(brief.source.name))}*\n")

    # -- formats ------------------------------------------------------------
    def _write_json(self, brief: Brief) -> None:
        self._write_record(brief.to_json())

    _write_jsonl = _write_json

    def _write_record(self, record: dict) -> None:
        """One JSON record: kept for close's list (json), or written as its line now (jsonl)."""
        if self.fmt == "json":
            self._json_items.append(record)
        else:
            self._print(json_line(record))

    def _write_text(self, brief: Brief) -> None:
        self._header(brief)
        if brief.task == "translate":
            self._print("\n\n".join(text for _, text in article_blocks(brief)))
            return
        arabic = [t for t in (brief.title, brief.summary.text if brief.summary else None) if t]
        self._print("\n".join(self._arabic(t) for t in arabic))
        english = [t for t in (brief.title_en, brief.summary_en) if t]
        if english:
            self._print()
            self._print("\n".join(english))

    def _write_markdown(self, brief: Brief) -> None:
        self._markdown_header(brief)
        if brief.task == "translate":
            for kind, text in article_blocks(brief):
                self._print(markdown_block({"title": "# ", "heading": "## "}.get(kind, ""), text) + "\n")
            return
        if brief.title:
            self._print(f"# {markdown_heading(brief.title)}\n")
        if brief.summary:
            self._print(f"{markdown_lines(brief.summary.text)}\n")
        if brief.title_en:
            self._print(f"## {markdown_heading(brief.title_en)}\n")
        if brief.summary_en:
            self._print(f"{markdown_lines(brief.summary_en)}\n")
        self._print(f"*{markdown_text(footer(brief))}*")  # model paths hold _ and * too

    def _write_rich(self, brief: Brief) -> None:
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        console = self.console()
        width = min(console.width, 100)
        # Which source each table or panel is, when there are several (text has "==> SOURCE <=="):
        # a path is not Rich markup ("[b]" stays as it is), nor a place for a line break.
        title = Text(on_one_line(brief.source.name)) if self.many else None
        if brief.task == "translate":
            table = Table(title=title, show_header=True, header_style="bold", expand=True, show_lines=False)
            # overflow="fold": a long URL or word breaks onto the next line rather than end in "…".
            table.add_column(self._arabic("العربية", 20), justify="right", ratio=1, overflow="fold")
            table.add_column("English", ratio=1, overflow="fold")
            column = (console.width - 7) // 2  # three rules and a space each side of both cells
            english = brief.segments_en or [""] * len(brief.segments)
            for segment, en in zip(brief.segments, english):
                style = "bold" if segment.kind in ("title", "heading") else ""
                table.add_row(Text(self._arabic(segment.text, column), style=style), Text(en or "", style=style))
            console.print(table)
            console.print(Text(footer(brief), style="dim"))
            return
        parts: list = []
        if brief.title:
            parts.append(Text(self._arabic(brief.title, width - 6), style="bold", justify="right"))  # 2 rules, 2×2 padding
        if brief.summary and brief.summary.text:
            parts.append(Text(self._arabic(brief.summary.text, width - 6), justify="right"))
        english = []
        if brief.title_en:
            english.append(Text(brief.title_en, style="bold"))
        if brief.summary_en:
            english.append(Text(brief.summary_en))
        if english and parts:  # a blank line between the languages, with a headline or without one
            parts.append(Text(""))
        parts += english
        from rich.console import Group

        console.print(Panel(Group(*parts), title=title, width=width, padding=(1, 2)))
        console.print(Text(footer(brief), style="dim"))


def footer(brief: Brief) -> str:
    pieces = []
    if brief.summary is not None:
        model = brief.summary.model.id if brief.summary.model else "model-free"
        pieces.append(f"summary: {brief.summary.method} ({model})")
    if brief.translator is not None:
        pieces.append(f"translation: {brief.translator.id}")
    elif any(warning.startswith(NO_ENGLISH) for warning in brief.warnings):  # asked for, and not had
        pieces.append("no translation: the translator could not be had (see the error)")
    return " · ".join(pieces) or "no models used"


class Feedback:
    """stderr for people: warnings, and a spinner for long work on a terminal."""

    def __init__(self, *, quiet: bool = False, stream: TextIO | None = None):
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self._follows_stderr = stream is None
        self.interactive = not quiet and is_terminal(self.stream)
        self._console = None
        self._warned: set[str] = set()

    def console(self):
        if self._console is None:
            self._console = rich_console(file=self.stream)
        return self._console

    def _lines_stream(self) -> TextIO:
        # While a Rich progress bar is drawn, sys.stderr is Rich's stand-in, which prints a line
        # above the bar; the stderr taken at the start would write into the bar and leave it torn.
        return sys.stderr if self._follows_stderr else self.stream

    def warn(self, message: str) -> None:
        if not self.quiet:
            print(on_one_line(f"mujaz: warning: {message}"), file=self._lines_stream(), flush=True)

    def error(self, message: str) -> None:
        """A failure the run goes on after (a batch's item): said with --quiet too, which is for warnings and progress."""
        print(on_one_line(f"mujaz: error: {message}"), file=self._lines_stream(), flush=True)

    def before_reading_stdin(self, what: str) -> None:
        """Standard input from a terminal: say what is awaited, or `mujaz brief -` waits in silence."""
        if is_terminal(sys.stdin) and not self.quiet:  # no stdin, or a closed one: reading it says what is wrong
            print(f"mujaz: reading {what} from the terminal; end with Ctrl-D", file=self._lines_stream(), flush=True)

    def warn_once(self, messages: list[str]) -> None:
        """Each warning once per run, however many articles carry it (their JSON still does)."""
        for message in messages:
            if message not in self._warned:
                self._warned.add(message)
                self.warn(message)

    @property
    def redraws(self) -> bool:
        """Whether stderr is a terminal that can redraw a line. TERM=dumb (Emacs' shell, some
        editors' consoles) is a terminal where Rich draws no spinner or bar at all."""
        return self.interactive and not self.console().is_dumb_terminal

    def say(self, message: str) -> None:
        """One line of progress for a terminal that cannot redraw one (nothing otherwise)."""
        if self.interactive and not self.redraws:
            print(on_one_line(f"mujaz: {message}"), file=self._lines_stream(), flush=True)

    def status(self, message: str) -> AbstractContextManager:
        if not self.interactive:
            return nullcontext()
        if not self.redraws:
            self.say(message)
            return nullcontext()
        from rich.markup import escape

        # A message names files and models: "[/b]" in a name is no Rich markup, an escape sequence no colour.
        return self.console().status(escape(on_one_line(message)), spinner="dots")


class PlainProgress:
    """Progress on a terminal that cannot redraw a line (Feedback.redraws): a line when the work
    starts, then the count at most every PLAIN_PROGRESS_SECONDS, and what is being done: each kind
    of step the first time (loading a model), a kind said before at most as often as the count."""

    def __init__(self, feedback: Feedback, label: str, total: int | None):
        import time

        self._clock = time.monotonic
        self.feedback, self.label, self.total = feedback, label, total
        self.done = self.failed = 0
        self._counted_at = self._doing_at = self._clock()
        self._kinds_said: set[str] = set()
        feedback.say(f"{label}: started" if total is None else f"{label}: 0 of {total:,}")

    def advance(self, count: int, failed: int = 0) -> None:
        self.done += count
        self.failed = failed
        if self._clock() - self._counted_at >= PLAIN_PROGRESS_SECONDS:
            self._counted_at = self._clock()
            of = "" if self.total is None else f" of {self.total:,}"
            self.feedback.say(f"{self.label}: {self.done:,}{of} done" + (f", {self.failed:,} failed" if self.failed else ""))

    def doing(self, message: str) -> None:
        # "Translating 80 segments", "Translating 1 segment": one kind of step
        kind = re.sub(r"(?<=\w)s\b", "", re.sub(r"[\d,]+", "#", message))
        if kind not in self._kinds_said or self._clock() - self._doing_at >= PLAIN_PROGRESS_SECONDS:
            self._kinds_said.add(kind)
            self._doing_at = self._clock()
            self.feedback.say(message)


PLAIN_PROGRESS_SECONDS = 10


class SegmentsWriter(Writer):
    """`mujaz segment`'s output: each article's segments one a line (json: with their kinds).
    A terminal gets text too: one segment a line is the point of the command."""

    def __init__(self, fmt: str, out: TextIO, *, bidi: bool | None = None, many: bool = False):
        super().__init__("text" if fmt == "rich" else fmt, out, bidi=bidi, many=many)

    def _nothing_to_write(self, article: SegmentedArticle) -> bool:
        return False

    def _write_text(self, article: SegmentedArticle) -> None:
        self._header(article)
        self._print("\n".join(self._arabic(segment.text) for segment in article.segments))

    def _write_markdown(self, article: SegmentedArticle) -> None:
        """Headline `#`, sub-headings `##`, each sentence on its own line, paragraphs apart."""
        self._markdown_header(article)
        lines: list[str] = []
        paragraph = None
        for segment in article.segments:
            if segment.kind == "sentence":
                if paragraph is not None and segment.paragraph != paragraph:
                    lines.append("")
                paragraph = segment.paragraph
                lines.append(markdown_text(segment.text))
                continue
            if lines and lines[-1]:  # a blank line before a heading, one only (after the headline's own)
                lines.append("")
            lines += [markdown_block("# " if segment.kind == "title" else "## ", segment.text), ""]
            paragraph = None
        self._print("\n".join(lines).strip("\n"))
