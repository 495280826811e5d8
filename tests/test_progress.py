"""Progress bars draw on a terminal only; -q silences them."""
import io

from pipeline.progress import progress_bar


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_bar_when_output_is_not_a_terminal():
    out = io.StringIO()
    with progress_bar("ingest", stream=out) as bar:
        bar(1, 2)
    assert out.getvalue() == ""


def test_bar_on_a_terminal_unless_quiet():
    out = Tty()
    with progress_bar("ingest", stream=out) as bar:
        bar(1, 2)
        bar(2, 2)
    assert "ingest" in out.getvalue() and "2/2" in out.getvalue()
    quiet = Tty()
    with progress_bar("ingest", quiet=True, stream=quiet) as bar:
        bar(1, 1)
    assert quiet.getvalue() == ""
