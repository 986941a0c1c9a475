/** Labs per page of the sidebar's list (the next page loads when its end scrolls into view). */
export const LABS_PAGE_SIZE = 20;
