"""What people open: network views, the decision-maker report, and the HTML and PDF they are written as."""
