"""Four eyes: submit for approval, approve or return with comments, publish."""
