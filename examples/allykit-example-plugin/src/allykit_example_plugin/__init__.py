"""An example data package for allykit: JSON files only, no code to run."""
