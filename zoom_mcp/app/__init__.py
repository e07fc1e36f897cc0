"""The application: settings, the clock it is given, the composition root, the command line."""
