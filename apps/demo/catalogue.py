"""Names and products the demo is made of. Fictional; any resemblance is a coincidence."""

DEMO_PASSWORD = "demo-pass-123"  # noqa: S105 - published demo login, refused outside demo data

DEMO_USERS = {
    "buyer": ("buyer@demo.test", "Alex", "Morgan", ""),
    "buyer2": ("buyer2@demo.test", "Priya", "Raman", "Northwind Traders Ltd"),
    "seller": ("seller@demo.test", "Sam", "Keller", ""),
    "seller_staff": ("seller.staff@demo.test", "Jo", "Lindqvist", ""),
    "seller2": ("seller2@demo.test", "Maria", "Ortega", ""),
    "moderator": ("moderator@demo.test", "Dana", "Whitfield", ""),
}

SELLER_NAMES = [
    "Acme Outdoor Gear",
    "Brightside Electronics",
    "Copper Kettle Kitchenware",
    "Driftwood Home & Garden",
    "Evergreen Pet Supplies",
    "Fable & Quill Books",
    "Granite Tools Co.",
    "Harbor Light Apparel",
]

PRODUCTS = [
    ("Trail 2 ultralight tent", "49.90"),
    ("Insulated water bottle 750 ml", "24.00"),
    ("USB-C charger 65 W", "39.99"),
    ("Noise-cancelling headphones NC-700", "189.00"),
    ("Cast iron skillet 28 cm", "54.50"),
    ("Ceramic pour-over coffee set", "32.00"),
    ("Cordless drill 18 V with two batteries", "129.00"),
    ("Merino wool hiking socks (3 pairs)", "27.95"),
    ("LED desk lamp with dimmer", "44.00"),
    ("Raised garden bed kit 120 x 60 cm", "89.00"),
    ("Dog harness, size M", "22.50"),
    ("Hardcover notebook A5, dotted", "14.00"),
    ("Waterproof rain jacket", "119.00"),
    ("Bluetooth speaker mini", "35.00"),
    ("Chef's knife 20 cm", "64.00"),
    ("Camping stove with piezo igniter", "58.00"),
]

FIRST_NAMES = [
    "Olivia",
    "Noah",
    "Emma",
    "Liam",
    "Ava",
    "Mateo",
    "Sofia",
    "Lucas",
    "Mia",
    "Elijah",
    "Amara",
    "Kenji",
    "Lena",
    "Omar",
    "Chloe",
    "Ravi",
    "Ines",
    "Tomas",
    "Yara",
    "Felix",
]
LAST_NAMES = [
    "Anderson",
    "Brennan",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Laurent",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
]
CARRIERS = ["UPS", "USPS", "FedEx", "DHL"]
