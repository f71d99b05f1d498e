"""Reading input files and writing outputs: the one place bcparse touches the file system for a command.

Reading (:func:`read_input`)
    Only a regular file, or ``-`` for standard input where the command line allows it, is read. A
    FIFO, a device, a socket or a folder is refused in one line before it is opened (a FIFO would
    block forever, ``/dev/zero`` would never end). The file is opened non-blocking and read in
    chunks with the size limit (``BCPARSE_MAX_INPUT_BYTES``) enforced while reading, so a file that
    grows, or standard input, never takes more than the limit in memory.

Writing (:func:`write_output`)
    ``-o FILE`` creates or replaces one regular file, whole or not at all: the data goes to a
    temporary file beside it (``.NAME.bcparse-PID-RANDOM.tmp``), flushed to disk, then renamed over
    the target. A new file gets the usual permissions (``0666`` less the umask), a replaced file
    keeps its mode. A symbolic link is followed: the file it points to is replaced and the link
    stays. A folder, a FIFO, a device or a socket is refused, as is a missing folder, and so is
    the input file itself unless the command was given ``--in-place``. The temporary file is
    removed on any error; one left by a killed run (``kill -9``) is removed by the next write to the
    same target once its process is gone.

Standard output (:func:`setup_streams`, :func:`write_stdout`)
    Output never fails on the terminal's encoding: a stream whose encoding cannot hold Vietnamese
    (``PYTHONIOENCODING=ascii``, latin-1, cp1258, a redirected Windows console) is switched to UTF-8.
    Binary output (a .docx) is refused on a terminal, as gzip does.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import limits
from .errors import InputError, InputTooLargeError, OutputError, one_line, quote_name

__all__ = [
    "INPUT_FORMATS",
    "OUTPUT_TEXT_REFUSED",
    "check_output",
    "check_text_output",
    "cli_input",
    "forced_input_format",
    "NotRegularFileError",
    "open_regular",
    "read_input",
    "setup_streams",
    "warn",
    "write_output",
    "write_stdout",
]

#: Formats ``--input-format`` forces (the extension is then not checked).
INPUT_FORMATS = ("text", "docx", "doc", "pdf")
#: Extensions a text output (-o) must not have: the file would hold UTF-8 text under a binary name.
OUTPUT_TEXT_REFUSED = {".pdf", ".docx", ".doc", ".odt", ".rtf", ".xlsx", ".xls", ".zip", ".png", ".jpg"}
STDIN = "-"
_CHUNK = 1 << 20


# ---------------------------------------------------------------------------------------------
# what the command line allows (set by bcparse.cli.main, read by the readers)
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class InputOptions:
    input_format: str | None = None  # one of INPUT_FORMATS: read every input as this format
    stdin: bool = False  # "-" means standard input
    inputs: tuple[str, ...] = ()  # the command's input files: -o naming one is refused …
    in_place: bool = False  # … unless --in-place
    in_place_option: bool = False  # the command has --in-place (the message says so)
    ocr: str | None = None  # --ocr auto|always|never: which pages are read through OCR (docs/ocr.md)


_options: ContextVar[InputOptions] = ContextVar("bcparse_input_options", default=InputOptions())  # noqa: B039 - frozen


@contextlib.contextmanager
def cli_input(*, input_format: str | None = None, stdin: bool = True, inputs: Iterable[str] = (),
              in_place: bool = False, in_place_option: bool = False, ocr: str | None = None) -> Iterator[None]:
    """While inside, ``-`` reads standard input, every input is read as ``input_format``, and
    :func:`write_output` refuses to replace one of ``inputs`` unless ``in_place``."""
    token = _options.set(InputOptions(input_format, stdin, tuple(str(i) for i in inputs), in_place,
                                      in_place_option, ocr))
    try:
        yield
    finally:
        _options.reset(token)


def forced_input_format() -> str | None:
    return _options.get().input_format


def forced_ocr() -> str | None:
    return _options.get().ocr


def is_stdin(path: str | os.PathLike[str]) -> bool:
    return _options.get().stdin and str(path) == STDIN


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------

def _too_large(size: int | None, limit: int, path: str, what: str = "file") -> InputTooLargeError:
    """``size`` None: the reading stopped at the limit (standard input, a file that grew)."""
    shown = f"is {size:,} bytes, over" if size is not None else "goes past"
    return InputTooLargeError(
        f"the {what} {shown} the limit of {limit:,} bytes (set BCPARSE_MAX_INPUT_BYTES)", path=path)


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, for messages ("a named pipe (FIFO)")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_limited(f: IO[bytes] | int, limit: int, name: str, what: str) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(f, _CHUNK) if isinstance(f, int) else f.read(_CHUNK)
        except BlockingIOError:  # a regular file never blocks; anything else was refused before
            raise InputError("the input would block (not a regular file)", path=name) from None
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise _too_large(None, limit, name, what)
        parts.append(chunk)
    return b"".join(parts)


class NotRegularFileError(OSError):
    """What :func:`open_regular` opened is not a regular file (``kind``: "a named pipe (FIFO)" …)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def open_regular(name: str) -> int:
    """A descriptor of the regular file ``name``, opened without ever blocking on a pipe or a device
    (the check is made on what was opened). NotRegularFileError otherwise; OSError as os.open."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                 | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFileError(kind_of(st.st_mode))
        return fd
    except BaseException:
        os.close(fd)
        raise


def read_input(path: str | os.PathLike[str], *, limit: int | None = None) -> bytes:
    """The bytes of the regular file at ``path`` (or of standard input for ``-`` on the command line).

    Raises :class:`InputError` (missing, a folder, a FIFO or device, unreadable) or
    :class:`InputTooLargeError` — checked before reading and again while reading.
    """
    limit = limits.current().max_input_bytes if limit is None else limit
    name = str(path)
    if is_stdin(name):
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("standard input is closed", path="<stdin>")
        return _read_limited(stream, limit, "<stdin>", "standard input")
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except NotADirectoryError:
        raise InputError("no such file (a part of the path is not a folder)", path=name) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("is a folder, not a file", path=name)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"is {kind_of(st.st_mode)}, not a regular file: give a file, or - for standard input",
                         path=name)
    if st.st_size > limit:
        raise _too_large(st.st_size, limit, name)
    try:
        fd = open_regular(name)  # the file opened may not be the one checked (replaced in between)
    except NotRegularFileError as e:
        raise InputError(f"is {e.kind}, not a regular file", path=name) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=name) from None
    try:
        return _read_limited(fd, limit, name, "file")
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", path=name) from None
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------

_TEMP = re.compile(r"^\.(?P<name>.+)\.bcparse-(?P<pid>\d+)-[0-9a-f]{8}\.tmp$")


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _resolve_target(out: str, inputs: Iterable[str], in_place: bool) -> tuple[Path, os.stat_result | None]:
    """The regular file to create or replace for ``-o out`` and its stat (None when it is new)."""
    target = Path(out)
    try:
        lst = os.lstat(out)
    except FileNotFoundError:
        lst = None
    except NotADirectoryError:
        raise OutputError("cannot write: a part of the path is not a folder", path=out) from None
    except OSError as e:
        raise OutputError(f"cannot write ({e.strerror})", path=out) from None
    if lst is not None and stat.S_ISLNK(lst.st_mode):
        # a symbolic link is followed: the file it names is replaced, the link stays
        real = Path(os.path.realpath(out))
        if not real.exists():
            raise OutputError(f"is a symbolic link to a missing file ({quote_name(str(real))}); "
                              "give the file itself", path=out)
        target = real
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"cannot write ({e.strerror})", path=out) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise OutputError("is a folder: give a file name for -o", path=out)
        if not stat.S_ISREG(st.st_mode):
            raise OutputError(f"is {kind_of(st.st_mode)}: bcparse writes only regular files", path=out)
        for inp in inputs:
            if inp == STDIN:
                continue
            try:
                if _same_file(os.stat(inp), st):
                    if not in_place:
                        hint = (", or --in-place to replace the input" if _options.get().in_place_option
                                else " (bcparse never replaces its input)")
                        raise OutputError(f"is the input file: give another -o{hint}", path=out)
            except OSError:
                continue
    parent = target.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise OutputError(f"cannot write: the folder {quote_name(str(parent))} {what}", path=out)
    return target, st


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _clean_stale(target: Path) -> None:
    """Remove the temporary files of earlier runs on ``target`` that were killed before renaming."""
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(f".{target.name}.bcparse-")]
    except OSError:
        return
    for n in names:
        m = _TEMP.match(n)
        if m and m["name"] == target.name and not _pid_alive(int(m["pid"])):
            with contextlib.suppress(OSError):
                os.unlink(target.parent / n)


def _write_error(e: OSError, out: str) -> OutputError:
    if e.errno == errno.ENOSPC:
        return OutputError("cannot write: no space left on the device", path=out)
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot write ({e.strerror})", path=out)
    return OutputError(f"cannot write ({e.strerror or e})", path=out)


def check_output(out: str, *, inputs: Iterable[str | os.PathLike[str]] | None = None,
                 in_place: bool | None = None) -> None:
    """Refuse at once an ``-o`` that :func:`write_output` would refuse (before any work is done)."""
    opts = _options.get()
    _resolve_target(out, [str(i) for i in (opts.inputs if inputs is None else inputs)],
                     opts.in_place if in_place is None else in_place)


def write_output(out: str, data: bytes | str, *, inputs: Iterable[str | os.PathLike[str]] | None = None,
                 in_place: bool | None = None) -> None:
    """Create or replace the regular file ``out`` with ``data`` (str is written as UTF-8), atomically.

    ``inputs`` are the command's input files (default: those :func:`cli_input` was given): ``out``
    naming one of them is refused unless ``in_place``. Raises :class:`OutputError`; on any failure
    the target is left as it was and the temporary file is removed.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    opts = _options.get()
    target, st = _resolve_target(out, [str(i) for i in (opts.inputs if inputs is None else inputs)],
                                 opts.in_place if in_place is None else in_place)
    _clean_stale(target)
    tmp = target.parent / f".{target.name}.bcparse-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666
    try:
        fd = os.open(tmp, flags, 0o600 if st is not None else mode)  # new: 0666 less the umask
    except OSError as e:
        raise _write_error(e, out) from None
    try:
        try:
            if st is not None:  # a replaced file keeps its mode (and, when we may, its owner)
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, mode)
                if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(OSError):
                        os.fchown(fd, st.st_uid, st.st_gid)
            view = memoryview(payload)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise _write_error(e, out) from None
        raise


def check_text_output(out: str | None) -> None:
    """Refuse ``-o`` names that promise a binary format for a text output (``-o figures.pdf``)."""
    if not out or out == STDIN:
        return
    ext = Path(out).suffix.lower()
    if ext in OUTPUT_TEXT_REFUSED:
        raise OutputError(f"this command writes text (UTF-8), not {ext}: name the output .txt, .json or .md, "
                          + ("or use `bcparse render --format docx` for a Word file" if ext == ".docx" else
                             "or leave the extension out"), path=out)


def warn(path: str | None, message: str) -> None:
    """On the command line, print a reader's warning on stderr (``bcparse: warning: NAME: …``)."""
    if not _options.get().stdin:  # only inside cli_input (the library keeps them in Report.warnings)
        return
    where = f"{quote_name(path)}: " if path else ""
    print(f"bcparse: warning: {where}{one_line(message)}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# standard output and error
# ---------------------------------------------------------------------------------------------

_PROBE = "Thành phố Hồ Chí Minh ệ ộ ữ đ"


def _fix_stream(stream: Any) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    enc = getattr(stream, "encoding", None) or "ascii"
    try:
        _PROBE.encode(enc)
        ok = True
    except (UnicodeEncodeError, LookupError):
        ok = False
    with contextlib.suppress(Exception):
        if ok:
            reconfigure(errors="backslashreplace")  # lone surrogates (undecodable file names) never fail
        else:
            reconfigure(encoding="utf-8", errors="backslashreplace")


def setup_streams() -> None:
    """Make stdout and stderr write UTF-8 when their encoding cannot hold Vietnamese; never fail."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            _fix_stream(stream)


def write_stdout(data: bytes | str, *, binary_hint: str | None = "-o FILE") -> None:
    """Text is printed as is (a final newline added); bytes are written as they are, and refused on a
    terminal when ``binary_hint`` names what to give instead (None: text in a file's own encoding,
    fine on a terminal)."""
    if isinstance(data, str):
        text = data if data.endswith("\n") else data + "\n"
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a stream setup_streams could not change
            buf = getattr(sys.stdout, "buffer", None)
            if buf is None:
                raise
            sys.stdout.flush()
            buf.write(text.encode("utf-8", "backslashreplace"))
        sys.stdout.flush()
        return
    if binary_hint is not None and sys.stdout.isatty():
        raise OutputError(f"binary output not written to a terminal: give {binary_hint} or redirect stdout")
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:
        raise OutputError(f"standard output takes no binary data here: give {binary_hint or '-o FILE'}")
    sys.stdout.flush()
    buf.write(data)
    buf.flush()


#: what a folder (or a glob) given to a command stands for: the reports in it
REPORT_EXTENSIONS = (".txt", ".docx", ".doc", ".pdf", ".md")
#: scanned or photographed reports, read through OCR (docs/ocr.md): in a folder they are reports
#: too; without OCR installed each is one error naming what to install, as any file that cannot be read
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_INPUT_EXTENSIONS = REPORT_EXTENSIONS + IMAGE_EXTENSIONS
_GLOB = re.compile(r"[*?[]")


@dataclass
class Inputs:
    """What :func:`collect_inputs` found: the files to read, in order, and what was not read.

    ``refused``: paths given that stand for nothing to read (a missing file in ``check`` mode, a
    folder with no report, a glob matching none, standard input given twice), with why; an error.
    ``skipped``: what a folder holds that is not read (a symbolic link out of it, a named pipe, a
    folder named like a report with none in it), with why; a note, not an error, for the commands
    that read (``bcparse import`` counts them as failed). ``single``: exactly one path was given
    and it names one file (not a folder, not a glob): its output is that of one report."""

    files: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    single: bool = False


def _not_read(path: str, *, inside: str | None = None) -> str | None:
    """Why ``path`` is not read (None: a regular file to read; "folder": a folder)."""
    if inside is not None and os.path.islink(path):
        target = os.path.realpath(path)
        if os.path.commonpath([target, inside]) != inside:
            return f"a symbolic link out of the folder (to {target}): not followed"
    try:
        st = os.stat(path)
    except OSError as e:
        return "a broken symbolic link" if os.path.islink(path) else f"cannot read the file ({e.strerror})"
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    if not stat.S_ISREG(st.st_mode):
        return f"{kind_of(st.st_mode)}, not a report file: not read"
    return None


def _is_report_name(name: str) -> bool:
    return name.lower().endswith(_INPUT_EXTENSIONS) and not name.startswith((".", "~$"))


def _folder(p: str, out: Inputs, add: Any) -> None:
    """The reports of the folder ``p``, recursively in name order (hidden folders and files and
    Word's ``~$`` lock files left out; symbolic links to folders not followed)."""
    top = os.path.realpath(p)
    n_before = len(out.files)
    found: list[str] = []
    for root, dirs, names in os.walk(p):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.join(root, n) for n in names if _is_report_name(n)]
        for d in dirs:  # a folder named like a report: searched, and said when empty
            if d.lower().endswith(REPORT_EXTENSIONS) and not os.path.islink(os.path.join(root, d)):
                found.append(os.path.join(root, d))
    folders = []
    for f in sorted(found):
        why = _not_read(f, inside=top)
        if why == "folder":
            folders.append(f)
        elif why:
            out.skipped.append((f, why))
        else:
            add(f)
    mine = out.files[n_before:]
    for f in folders:
        if not any(g.startswith(f + os.sep) for g in mine):
            out.skipped.append((f, f"a folder, not a {Path(f).suffix.lower()} file (no report in it)"))
    if len(out.files) == n_before:
        name = p.rstrip(os.sep)
        if name.lower().endswith(REPORT_EXTENSIONS):
            out.refused.append((p, f"a folder, not a {Path(name).suffix.lower()} file (no report in it)"))
        else:
            out.refused.append((p, f"no reports ({', '.join(REPORT_EXTENSIONS)}, or scans: "
                                   f"{', '.join(IMAGE_EXTENSIONS)}) in this folder"))


def collect_inputs(paths: Iterable[str | os.PathLike[str]], *, stdin: bool = True, check: bool = False) -> Inputs:
    """The files a command reads, for every command that takes many paths (``figures``, ``parse``,
    ``outline``, ``audit``, ``coverage``, ``export``, ``import``).

    A folder stands for its reports (:data:`REPORT_EXTENSIONS`, and the scans of
    :data:`IMAGE_EXTENSIONS`, read through OCR), found recursively in name order,
    without following symbolic links out of it; a glob (``'reports/**/*.docx'``, for shells that
    do not expand it) for the files and folders it matches, its non-report files left out; ``-``
    for standard input (once; refused when ``stdin`` is False); any other path for itself, read as
    it is named (the reader says what is wrong with it), or with ``check`` refused here when it is
    missing or not a regular file. A file named twice (or through a link) is read once."""
    out = Inputs()
    seen: set[str] = set()
    given = [os.fspath(p) for p in paths]

    def add(f: str) -> None:
        real = os.path.realpath(f)
        if real not in seen:
            seen.add(real)
            out.files.append(f)

    for p in given:
        if p == STDIN:
            if not stdin:
                out.refused.append((p, "standard input cannot be read here: give files"))
            elif STDIN in seen:
                out.refused.append((p, "standard input given twice"))
            else:
                seen.add(STDIN)
                out.files.append(p)
        elif os.path.isdir(p):
            _folder(p, out, add)
        elif not os.path.lexists(p) and _GLOB.search(p):
            import glob

            matches = sorted(glob.glob(p, recursive=True))
            n_before = len(out.files)
            for m in matches:
                if os.path.isdir(m):
                    _folder(m, out, add)
                elif _is_report_name(os.path.basename(m)):
                    why = _not_read(m)
                    if why:
                        out.skipped.append((m, why))
                    else:
                        add(m)
            if len(out.files) == n_before:
                out.refused.append((p, "no report file matches this pattern" if matches else
                                    "no such file, nor any file matching it as a pattern"))
        elif check:
            if os.path.exists(p):
                why = _not_read(p)
                if why:
                    out.refused.append((p, why))
                else:
                    add(p)
            elif os.path.islink(p):
                out.refused.append((p, "a broken symbolic link"))
            else:
                out.refused.append((p, "no such file or folder"))
        else:
            add(p)
    out.single = len(given) == 1 and len(out.files) == 1 and out.files[0] == given[0] and not out.refused
    return out


def expand_paths(paths: list[str]) -> tuple[list[str], list[str]]:
    """Files a command reads and error lines (``PATH: why``): :func:`collect_inputs`, with what a
    folder holds and does not read printed as a warning on stderr."""
    got = collect_inputs(paths)
    for p, why in got.skipped:
        print(f"bcparse: warning: {quote_name(p)}: {why}", file=sys.stderr)
    return got.files, [f"{quote_name(p)}: {why}" for p, why in got.refused]
