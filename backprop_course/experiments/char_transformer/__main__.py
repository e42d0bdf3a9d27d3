"""``python -m backprop_course.experiments.char_transformer``: see ``main``."""

from . import main

if __name__ == "__main__":  # (pkgutil.walk_packages imports this module too)
    main()
