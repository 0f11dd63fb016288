"""Building blocks every screen shares: widgets, messages, the table model, background
jobs, running a core operation, exports, screenshots and which database this PC uses.
They import no screen and not the shell."""
