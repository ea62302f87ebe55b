"""What demo buyers ask and demo sellers answer: ordinary order talk, nothing the filter minds."""

BUYER_OPENERS = {
    "shipping": [
        "Hi, my order hasn't arrived yet. The tracking page hasn't changed for three days. Can you check?",
        "Hello! Could you tell me when my {product} will ship? I need it before the weekend.",
        "The tracking number {tracking} says delivered but there is nothing at my door.",
        "Can the parcel be left with a neighbour if I'm not home on Thursday?",
        "Is it possible to change the delivery address to my office? Same city, different street.",
    ],
    "return": [
        "The {product} arrived with a cracked corner. How do I return it?",
        "I ordered the wrong size. Can I exchange it for a larger one?",
        "I'd like to return the {product}; it doesn't fit my needs. What are the steps?",
        "I sent the return last week. When will the refund be processed?",
    ],
    "product": [
        "Does the {product} come with a warranty? For how long?",
        "Is the {product} compatible with the model I bought last year, the 2024 version?",
        "What are the exact dimensions of the {product} once assembled?",
        "Does the charger fit model X200 as well, or only the newer X300?",
        "Can the {product} be washed in the machine or only by hand?",
    ],
    "other": [
        "Could you send me an invoice with my company name on it for order {order}?",
        "I was charged twice for this order, could you look into it?",
        "Thanks for the quick delivery, everything is fine. Just one question about the manual.",
    ],
}

BUYER_FOLLOW_UPS = [
    "Thanks! One more thing: is the box recyclable?",
    "OK, I'll wait until Friday then.",
    "I've attached a photo of the damage.",
    "Got it, thank you for the quick answer.",
    "Still nothing arrived, any news?",
    "That works for me. Please go ahead.",
]

SELLER_ANSWERS = [
    "Thanks for reaching out! Your order shipped with {carrier}; "
    "tracking {tracking} should update within 24 hours.",
    "Sorry about that. Please start a return from your orders page and we'll send a prepaid label.",
    "Good question: yes, the {product} has a two-year warranty covering manufacturing defects.",
    "We checked with the carrier and the parcel is at the local depot. It will be delivered tomorrow.",
    "The assembled size is 120 x 60 x 75 cm and it weighs about 14 kg.",
    "We've issued the refund today. Your bank may take 3-5 working days to show it.",
    "Yes, it fits the X200 and the X300. The adapter is in the small box inside the package.",
    "Hand wash only at 30 degrees, please, and let it dry flat.",
    "The invoice is attached to your order page now, with your company name.",
]
