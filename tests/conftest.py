"""Suite-wide settings."""

import logging

# kafka-python's admin client warns about Faust's custom group metadata it cannot decode.
logging.getLogger("kafka").setLevel(logging.ERROR)
