"""Start the app: `python -m ui.serve [streamlit options] [-- --store DIR]`.

Streamlit treats a folder named pages/ beside the entry script as a legacy multipage app until
st.navigation has run once in the server process; until then a shared deep link (e.g. /ban-do-toc-do)
would be resolved against the file names and answered with "page not found". app.py always uses
st.navigation, so the legacy mode is switched off before the server starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main() -> None:
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
