"""Plan arithmetic in plain Python (no Django): completion as of a date, forecasts."""
