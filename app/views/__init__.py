"""Page logic without Streamlit: each module returns the frames and figures one page draws."""
