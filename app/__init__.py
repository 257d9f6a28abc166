"""İzlek dashboard support code: everything the Streamlit pages import (no Streamlit here).

Pages stay thin (set up, read, draw); the logic they need lives in these modules so that
tests can call it without running Streamlit.
"""
