"""i-Speed Atlas: `streamlit run app.py` (or `make run`). The frame around every page is ui.shell; pages live in
pages/, one thin file each, named after its address."""

from ui.shell import main

main()
