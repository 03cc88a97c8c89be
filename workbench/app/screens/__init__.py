"""The app's screens, one a module: the claims list, help and the note modal here;
detail, compare, conflicts, timeline and problems beside them."""
