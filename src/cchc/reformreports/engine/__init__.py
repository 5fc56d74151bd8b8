"""Pure arithmetic of the periodic reform reports (no Django): periods, data windows, due dates."""
